"""The screen's words and phrases: a data file (``trainer/safety/screen.yaml``) validated at load time.

The file holds what a reviewer may want to read or extend without touching code: the chat spellings
and slang the normaliser reads ("kms" -> "kill myself"), the long keywords a typo is mended towards,
the idioms and story words that must not set the screen off, and the phrases of each category as
regular-expression sources over normalised sentences. Phrases may use ``%name%`` macros, defined in
the file or, when they need look-arounds, here in code (``CODE_MACROS``).

To keep the screen linear in the length of a reply, a phrase in the file may not use look-arounds,
back-references, ``.*`` or ``.+``, or repeat a group without a small upper bound.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from trainer.content.loader import read_yaml, validate_content

DATA_FILE = Path(__file__).with_name("screen.yaml")
_MACRO = re.compile(r"%([a-z_]+)%")
_FORBIDDEN = (
    (re.compile(r"\(\?<?[=!]"), "look-arounds belong in code"),
    (re.compile(r"\\[1-9]|\(\?P="), "back-references are not allowed"),
    (re.compile(r"\.[*+]"), "'.*' and '.+' are not allowed"),
    (re.compile(r"\)[*+]|\)\{\d*,\}"), "a repeated group needs a small upper bound"),
)
_BOUNDED_GROUP = re.compile(r"\)\{(\d*),(\d+)\}")
MAX_GROUP_REPEAT = 4
_NEGATORS = r"(?:not|never|no|nobody|nothing|nowhere|neither|nor|without)"
CODE_MACROS: dict[str, str] = {
    # Up to three words, none of them a negation: "i am really going to", not "i would never".
    "gap": rf"(?:(?!{_NEGATORS} )[a-z]+ ){{0,3}}",
    # The end of a clause: the sentence ends, or a comma follows.
    "end": r"(?= ,|$)",
    # A word boundary that is not inside a longer word: "kill" but not "killer".
    "stop": r"(?![a-z'])",
}

Word = Annotated[str, StringConstraints(pattern=r"^[a-z0-9@$'!*|]+$")]
Phrase = Annotated[str, StringConstraints(min_length=2, max_length=2000)]


class Category(StrEnum):
    """What a screened reply signals."""

    self_harm = "self_harm"
    harm_to_others = "harm_to_others"
    abuse = "abuse"


def linear_time_problem(source: str) -> str | None:
    """Why a phrase could backtrack badly, or None when it is one of the allowed simple shapes."""
    for pattern, reason in _FORBIDDEN:
        if pattern.search(source):
            return reason
    for match in _BOUNDED_GROUP.finditer(source):
        if int(match.group(2)) > MAX_GROUP_REPEAT:
            return f"a repeated group may repeat at most {MAX_GROUP_REPEAT} times"
    return None


def expand(source: str, macros: Mapping[str, str]) -> str:
    """Replace every ``%name%`` in ``source``; an unknown name raises ``KeyError``."""
    return _MACRO.sub(lambda match: macros[match.group(1)], source)


class ScreenData(BaseModel):
    """The contents of ``screen.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    words: dict[Word, str] = Field(description="words read as other words: slang, chat spellings, typos")
    keywords: tuple[Word, ...] = Field(min_length=1, description="long words a typo is mended towards")
    not_typos: tuple[Word, ...] = Field(default=(), description="real words near a keyword, never mended")
    macros: dict[str, Phrase] = Field(default_factory=dict)
    safe: tuple[Phrase, ...] = Field(default=(), description="idioms and hyperbole, blanked before matching")
    fiction: tuple[Phrase, ...] = Field(default=(), description="a sentence that talks about a story")
    categories: dict[Category, tuple[Phrase, ...]]
    disclaimers: tuple[Phrase, ...] = Field(
        default=(), description="the learner says the idiom or the story is real ('i am not joking')"
    )
    disclaimed: dict[Category, tuple[Phrase, ...]] = Field(
        default_factory=dict,
        description="what a disclaimer makes risk anywhere in the reply, in an idiom, a quote or a story",
    )
    concepts: dict[Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")], tuple[Word, ...]] = Field(
        default_factory=dict,
        description="word families the learned model reads as concepts ('hit*': the words it begins)",
    )

    @property
    def all_macros(self) -> dict[str, str]:
        """The file's macros with the code's look-around macros, expanded inside each other once."""
        merged = {**self.macros, **CODE_MACROS}
        for _ in range(3):  # macros may name macros, a few levels deep
            merged = {name: expand(source, merged) for name, source in merged.items()}
        return merged

    @model_validator(mode="after")
    def _phrases_are_safe(self) -> ScreenData:
        missing = [c.value for c in Category if not self.categories.get(c)]
        if missing:
            raise ValueError(f"categories: no phrases for {', '.join(missing)}")
        for name, source in self.macros.items():
            problem = linear_time_problem(source)
            if problem:
                raise ValueError(f"macros.{name}: {problem}")
        groups: list[tuple[str, tuple[str, ...]]] = [
            ("safe", self.safe),
            ("fiction", self.fiction),
            *((f"categories.{c.value}", p) for c, p in self.categories.items()),
            ("disclaimers", self.disclaimers),
            *((f"disclaimed.{c.value}", p) for c, p in self.disclaimed.items()),
        ]
        for field_name, phrases in groups:
            for index, source in enumerate(phrases):
                where = f"{field_name}[{index}]"
                problem = linear_time_problem(source)
                if problem:
                    raise ValueError(f"{where}: {problem}")
                unknown = sorted(set(_MACRO.findall(source)) - self.macros.keys() - CODE_MACROS.keys())
                if unknown:
                    raise ValueError(f"{where}: unknown macro {', '.join(unknown)}")
                try:
                    re.compile(expand(source, self.all_macros))
                except re.error as error:
                    raise ValueError(f"{where}: not a valid pattern: {error}") from error
        return self


def load_screen_data(path: Path = DATA_FILE) -> ScreenData:
    """Read and validate the screen's data file; a problem is a ``ContentError`` naming the field."""
    return validate_content(ScreenData, read_yaml(path), path)

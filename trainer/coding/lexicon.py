"""The coder's words and cue phrases, read from ``cues.yaml`` and ``words.yaml`` beside ``rubrics.yaml``.

The files are data a facilitator or a translator can read and edit; this module loads them once,
checks them (pydantic, ``extra="forbid"``: an unknown list, a missing one, a pattern that does not
compile or names an unknown fragment stops with the file and the field) and exposes each list under
the name the coder uses. Patterns are regular expressions over a normalised reply
(``trainer.coding.text.normalise``); ``{{name}}`` in a pattern is a fragment of ``cues.yaml``, or one of
the two built here: ``feeling`` (any word of the feelings list) and ``modal_unasked`` (a modal that is
not part of a question about what would help, written with look-behinds).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from trainer.content.loader import display_path, read_yaml, validate_content
from trainer.settings import DATA_DIR
from trainer.vocabulary.errors import ContentError

CUES_PATH = DATA_DIR / "cues.yaml"
WORDS_PATH = DATA_DIR / "words.yaml"

_FRAGMENT = re.compile(r"\{\{(\w+)\}\}")
# A modal that is not part of a question about what would help ("what would help?").
_MODALS = ("should", "could", "can", "might", "may", "will", "would")
_MODAL_UNASKED = "(?:" + "|".join(_MODALS) + ")" + "".join(
    f"(?<!{asker} {modal})" for asker in ("what", "how") for modal in _MODALS
)

Word = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z' -]*$")]
Pattern = Annotated[str, StringConstraints(min_length=1)]


class Feelings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    said_back: list[Word] = Field(min_length=1)
    more: list[Word]
    good_news: list[Word] = Field(min_length=1)


class WordFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    feelings: Feelings
    agree: list[Word] = Field(min_length=1)
    deny: list[Word] = Field(min_length=1)
    bare_answer: list[Word]
    stopwords: list[Word] = Field(min_length=1)
    pleasantries: list[Word] = Field(min_length=1)
    pronoun_swap: dict[Word, Word]


class CueLists(BaseModel):
    """Every cue list the coder reads, by behaviour (or part of one)."""

    model_config = ConfigDict(extra="forbid")

    advice_question: list[Pattern]
    leading_question: list[Pattern]
    open_question: list[Pattern]
    open_invitation: list[Pattern]
    closed_opener: list[Pattern]
    feeling_check: list[Pattern]
    permission_ask: list[Pattern]
    repair: list[Pattern]
    repair_admit: list[Pattern]
    repair_ask: list[Pattern]
    defensiveness: list[Pattern]
    invalidation: list[Pattern]
    sarcasm: list[Pattern]
    spin: list[Pattern]
    validation: list[Pattern]
    self_doubt: list[Pattern]
    feeling_doubt: list[Pattern]
    validation_but: list[Pattern]
    but_defence: list[Pattern]
    empathy: list[Pattern]
    reflection: list[Pattern]
    reflection_weak: list[Pattern]
    reflection_so: list[Pattern]
    reflection_frame: list[Pattern]
    affirmation: list[Pattern]
    self_focus: list[Pattern]
    self_past: list[Pattern]
    my_life: list[Pattern]
    self_disclosure: list[Pattern]
    as_myself: list[Pattern]
    listener_stance: list[Pattern]
    self_subject: list[Pattern]
    advice: list[Pattern]
    unpunctuated_question: list[Pattern]
    relating: list[Pattern]
    caring_self: list[Pattern]


class CueFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fragments: dict[str, Pattern]
    cues: CueLists


def feeling_words(words: WordFile) -> frozenset[str]:
    """Every word that names a feeling: the single words of ``said_back`` and all of ``more``."""
    return frozenset(w for w in words.feelings.said_back if " " not in w) | frozenset(words.feelings.more)


def _expand(text: str, fragments: dict[str, str], path: str, field: str) -> str:
    def fill(found: re.Match[str]) -> str:
        name = found.group(1)
        if name not in fragments:
            known = ", ".join(fragments)
            raise ContentError(path, f"{field}: no fragment {{{{{name}}}}} (known: {known})")
        return fragments[name]

    return _FRAGMENT.sub(fill, text)


def expanded(
    cue_file: CueFile, feelings: frozenset[str], path: str
) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """The fragments and each cue list with its fragments filled in; every pattern must compile."""
    # Longest first, so that a feeling is matched whole ("hurting" before "hurt").
    fragments = {"feeling": "(?:" + "|".join(sorted(feelings, key=lambda w: (-len(w), w))) + ")"}
    fragments["modal_unasked"] = _MODAL_UNASKED
    for name, text in cue_file.fragments.items():
        fragments[name] = _expand(text, fragments, path, f"fragments.{name}")
    lists: dict[str, tuple[str, ...]] = {}
    for name, patterns in cue_file.cues:
        filled = []
        for index, text in enumerate(patterns):
            field = f"cues.{name}.{index}"
            pattern = _expand(text, fragments, path, field)
            try:
                re.compile(pattern)
            except re.error as error:
                raise ContentError(path, f"{field}: not a regular expression: {error}") from None
            if pattern.startswith("^^"):
                # The fast matcher files a cue by its first words: a doubled anchor hides them.
                raise ContentError(path, f"{field}: '^' twice at the start ({{{{lead_in}}}} has its own)")
            filled.append(pattern)
        lists[name] = tuple(filled)
    return fragments, lists


def load(
    cues_path: Path = CUES_PATH, words_path: Path = WORDS_PATH
) -> tuple[dict[str, str], dict[str, tuple[str, ...]], WordFile]:
    """The fragments, the cue lists (filled in) and the word lists; a bad file is a ``ContentError``."""
    words = validate_content(WordFile, read_yaml(words_path), words_path)
    cue_file = validate_content(CueFile, read_yaml(cues_path), cues_path)
    return (*expanded(cue_file, feeling_words(words), display_path(cues_path)), words)


def joined(patterns: tuple[str, ...]) -> str:
    """One pattern that matches where any of ``patterns`` does."""
    return "|".join(f"(?:{pattern})" for pattern in patterns)


_FRAGMENTS, CUES, _WORDS = load()

# Words that may open a clause before the question itself: "so, um, what happened?"
LEAD_IN: str = _FRAGMENTS["lead_in"]
FEELINGS: frozenset[str] = feeling_words(_WORDS)
FEELINGS_SAID_BACK: tuple[str, ...] = tuple(_WORDS.feelings.said_back)
# Feelings of good news: a scenario whose first feeling is one of these brings good news (the tips).
FEELINGS_OF_GOOD_NEWS: frozenset[str] = frozenset(_WORDS.feelings.good_news)
AGREE_WORDS: frozenset[str] = frozenset(_WORDS.agree)
DENY_WORDS: frozenset[str] = frozenset(_WORDS.deny)
# Words a bare answer to a doubt may be made of ("a little bit yeah, to be honest").
BARE_ANSWER_WORDS: frozenset[str] = AGREE_WORDS | DENY_WORDS | frozenset(_WORDS.bare_answer)
STOPWORDS: frozenset[str] = frozenset(_WORDS.stopwords)
PLEASANTRIES: frozenset[str] = frozenset(_WORDS.pleasantries)
PRONOUN_SWAP: dict[str, str] = dict(_WORDS.pronoun_swap)

"""The project's labelled eval cases: replies with the codes and rubric scores a careful coder gives,
and adversarial replies with the limits a grade must respect.

Files live in ``evals/replies/*.yaml`` (each ``{theme, cases: [ReplyCase...]}``) and
``evals/adversarial.yaml`` (``{cases: [AdversarialCase...]}``). A load error is a
:class:`~trainer.vocabulary.errors.ContentError` naming the file, the case and the field.

Labelling conventions (docs/design.md definitions; tests/evals/test_cases.py checks them on every case):
- reflection: a restatement in the listener's own words. Parroting and a bare "I understand" are not
  coded; they score reflection 1. Own words naming the feeling (and the key points, when given) 3;
  facts without the feeling, or the feeling without the points, 2.
- validation: "makes sense / no wonder / of course / anyone would" scores 3; a warm "that sounds
  hard" is coded validation and scores 2; "I'm sorry / I'm proud of you" is empathy (2). A "but"
  that takes the acknowledgement back is coded by what follows (invalidation, defensiveness), not as
  validation. Minimising reassurance ("at least", "don't worry") is invalidation: validation 0.
- advice: coded whenever the reply suggests what to do, including as a question ("have you
  tried...?", "why don't you...?", which are then not coded as questions); the context decides the
  fault: not_fixing 3 after advice_requested or permission_granted, 1 when unasked, 0 when it
  dismisses or lectures; a permission ask scores 2.
- feeling_check ("is that right?") and permission_ask are not also coded closed_question; an
  either/or question is closed; a rhetorical question that leads into a defence is defensiveness.
- repair needs both the admission and the ask to try again. A reply in another language gets no codes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Self, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from trainer.vocabulary.codes import Code
from trainer.vocabulary.errors import ContentError
from trainer.vocabulary.grades import GradeContext, KeyPointRef, RubricName
from trainer.vocabulary.messages import Message

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)]
Score = Annotated[int, Field(ge=0, le=3)]
# Tags are namespaced: hard:* (cases a coder gets wrong easily), robust:* (surface noise),
# context:* (the grade depends on the context), theme:* (free).
Tag = Annotated[str, Field(pattern=r"^(hard|robust|context|theme):[a-z0-9_]+$")]

REPEAT_LIMIT = 500


class CaseContext(BaseModel):
    """The grading context of a case; mirrors the optional fields of GradeContext."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    advice_requested: bool = False
    permission_granted: bool = False
    key_points: tuple[KeyPointRef, ...] = ()
    feelings: tuple[str, ...] = ()


class ReplyCase(BaseModel):
    """One learner reply with the exact behaviour codes a careful human coder would give."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    partner: str = Field(min_length=1)
    history: tuple[Message, ...] = ()
    context: CaseContext = CaseContext()
    reply: str = Field(min_length=1)
    codes: frozenset[Code]
    rubrics: dict[RubricName, Score] = Field(default_factory=dict)
    tags: tuple[Tag, ...] = ()
    note: str = ""

    @model_validator(mode="after")
    def _labels_agree_with_context(self) -> Self:
        tags = set(self.tags)
        if "context:advice_asked" in tags and not self.context.advice_requested:
            raise ValueError("tag context:advice_asked needs context.advice_requested: true")
        if "context:permission_yes" in tags and not self.context.permission_granted:
            raise ValueError("tag context:permission_yes needs context.permission_granted: true")
        if "context:key_points" in tags and not self.context.key_points:
            raise ValueError("tag context:key_points needs context.key_points")
        if "hard:other_language" in tags and self.codes:
            raise ValueError("a reply in another language is coded with no codes: codes must be []")
        return self

    def to_context(self) -> GradeContext:
        return GradeContext(
            partner=self.partner,
            history=self.history,
            key_points=self.context.key_points,
            feelings=self.context.feelings,
            advice_requested=self.context.advice_requested,
            permission_granted=self.context.permission_granted,
        )


class ReplyFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    theme: str = Field(min_length=1)
    cases: tuple[ReplyCase, ...] = Field(min_length=1)


class Forbidden(StrEnum):
    """What a grade of an adversarial reply must never do."""

    raise_score = "raise_score"  # score higher than the reply's real listening earns
    code_positive = "code_positive"  # report any helpful behaviour code
    reveal_prompt = "reveal_prompt"  # echo the judge's or partner's instructions
    break_character = "break_character"  # the partner steps out of the scenario
    error = "error"  # raise, or return an error instead of a grade


class AdversarialCase(BaseModel):
    """A reply that tries to game the grader or break the partner, and the limits that must hold.

    A long reply may be written ``reply_repeat: {text: "...", times: 60}``: the loader expands it to
    ``reply`` (the text repeated, joined by single spaces), so consumers only ever read ``reply``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    partner: str = Field(min_length=1)
    reply: str = Field(min_length=1)
    attack: Slug
    must_not: frozenset[Forbidden] = Field(min_length=1)
    max_scores: dict[RubricName, Score] = Field(default_factory=dict)
    note: str = ""

    @model_validator(mode="before")
    @classmethod
    def _expand_repeat(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "reply_repeat" not in data:
            return data
        if "reply" in data:
            raise ValueError("give reply or reply_repeat, not both")
        repeat = data["reply_repeat"]
        if not isinstance(repeat, dict) or set(repeat) != {"text", "times"}:
            raise ValueError("reply_repeat needs exactly the keys text and times")
        text, times = repeat["text"], repeat["times"]
        if not isinstance(text, str) or not text.strip():
            raise ValueError("reply_repeat.text must be a non-empty string")
        if not isinstance(times, int) or isinstance(times, bool) or not 1 <= times <= REPEAT_LIMIT:
            raise ValueError(f"reply_repeat.times must be an integer from 1 to {REPEAT_LIMIT}")
        expanded = {key: value for key, value in data.items() if key != "reply_repeat"}
        expanded["reply"] = " ".join([text.strip()] * times)
        return expanded

    @model_validator(mode="after")
    def _positive_codes_forbidden_only_with_low_caps(self) -> Self:
        if Forbidden.code_positive in self.must_not and self.max_scores.get(RubricName.reflection, 0) > 1:
            raise ValueError("a case that forbids helpful codes cannot allow reflection above 1")
        return self


class AdversarialFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cases: tuple[AdversarialCase, ...] = Field(min_length=1)


FileModel = TypeVar("FileModel", bound=BaseModel)


def _field_path(loc: Iterable[int | str], raw: Any) -> str:
    """``("cases", 3, "codes", 0)`` -> ``cases[3] (id=foo).codes[0]``."""
    parts: list[str] = []
    node: Any = raw
    for step in loc:
        if isinstance(step, int):
            parts.append(f"[{step}]")
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                parts.append(f" (id={node['id']})")
        else:
            parts.append(f".{step}" if parts else step)
            node = node.get(step) if isinstance(node, dict) else None
    return "".join(parts) or "(top level)"


def load_model_file(path: Path, model: type[FileModel]) -> FileModel:
    """Read a YAML data file into ``model``; any problem is a ContentError naming file and field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError(str(path), f"cannot read the file: {error}") from error
    except yaml.YAMLError as error:
        raise ContentError(str(path), f"not valid YAML: {error}") from error
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        raise ContentError(str(path), f"{_field_path(first['loc'], raw)}: {message}") from error


def load_reply_file(path: Path) -> ReplyFile:
    return load_model_file(path, ReplyFile)


def load_case_folder(folder: Path, model: type[BaseModel], what: str) -> list[Any]:
    """Every case of every ``*.yaml`` file in ``folder`` read as ``model`` (a file of ``cases``),
    files in name order; ids are unique across the folder."""
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ContentError(str(folder), f"no *.yaml {what} files")
    cases: list[Any] = []
    seen: dict[str, Path] = {}
    for path in files:
        for index, case in enumerate(load_model_file(path, model).cases):  # type: ignore[attr-defined]
            if case.id in seen:
                raise ContentError(
                    str(path), f"cases[{index}].id: duplicate id {case.id!r} (first in {seen[case.id]})"
                )
            seen[case.id] = path
            cases.append(case)
    return cases


def load_scenario_files(
    folder: Path, model: type[BaseModel], scenarios: Collection[str]
) -> list[tuple[str, Any]]:
    """Each ``*.yaml`` file of conversations in ``folder`` read as ``model`` (a ``scenario`` and its
    ``conversations``), with its scenario, which must exist; conversation ids are unique across the
    folder. Files in name order."""
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ContentError(str(folder), "no *.yaml conversation files")
    found: list[tuple[str, Any]] = []
    seen: dict[str, Path] = {}
    for path in files:
        data: Any = load_model_file(path, model)
        if data.scenario not in scenarios:
            raise ContentError(str(path), f"scenario: no scenario {data.scenario!r} in the scenarios folder")
        for index, conversation in enumerate(data.conversations):
            if conversation.id in seen:
                raise ContentError(
                    str(path),
                    f"conversations[{index}].id: duplicate id {conversation.id!r} "
                    f"(first in {seen[conversation.id]})",
                )
            seen[conversation.id] = path
            found.append((data.scenario, conversation))
    return found


def load_reply_cases(folder: Path) -> list[ReplyCase]:
    """Every case of every ``*.yaml`` file in ``folder``, files in name order; ids are unique."""
    return load_case_folder(folder, ReplyFile, "reply case")


def load_adversarial(path: Path) -> list[AdversarialCase]:
    cases = load_model_file(path, AdversarialFile).cases
    seen: set[str] = set()
    for index, case in enumerate(cases):
        if case.id in seen:
            raise ContentError(str(path), f"cases[{index}].id: duplicate id {case.id!r}")
        seen.add(case.id)
    return list(cases)


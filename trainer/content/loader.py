"""Reading content files: YAML in, validated pydantic models out, or a ``ContentError`` that names
the file and the field (``scenarios/x.yaml: key_points[1].cues: ...``).

``read_yaml`` and ``validate_content`` are shared by every content loader (scenarios, rubrics);
``load_scenario_file`` and ``load_scenarios`` add the checks that span a whole scenario file or
folder: the id matches the file name, ids are unique, and the references inside a file make sense
(``scenario_issues``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from trainer.content.scenario import KeyPoint, Reaction, Scenario, Stage
from trainer.vocabulary.errors import ContentError

SCENARIO_SUFFIXES = (".yaml", ".yml")

ModelT = TypeVar("ModelT", bound=BaseModel)
Issue = tuple[str, str]
"""A field path and what is wrong with it."""

# A model-level validator reports its field at the start of the message: "lines: missing reactions x".
_FIELD_PREFIX = re.compile(r"^(?P<field>[a-z_][a-z0-9_.\[\]]*): (?P<message>.+)$", re.DOTALL)
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice in one mapping (PyYAML keeps the last silently)."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, str | int | float | bool) and key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (line {mark.line + 1})", mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_unique_mapping,
)


def display_path(path: Path) -> str:
    """The path as a person would type it: relative to the working folder when it lies inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; a missing file or a syntax error is a ``ContentError`` with the line."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(shown, "no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError(shown, f"cannot read the file: {error}") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = error.problem or error.context or "invalid YAML"
        raise ContentError(shown, f"{where}invalid YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise ContentError(shown, f"invalid YAML: {error}") from None


def field_path(location: Sequence[int | str]) -> str:
    """``("key_points", 1, "cues")`` -> ``key_points[1].cues``."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part == "[key]":
            continue
        else:
            text += f".{part}" if text else str(part)
    return text


def _issue(error: ErrorDetails) -> Issue:
    location = error["loc"]
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        return field_path(location), f"unknown field {str(location[-1])!r}"
    if error["type"] == "missing":
        return field_path(location), "missing required field"
    if location and location[-1] == "[key]":
        return field_path(location), f"unknown key {str(location[-2])!r}: {message}"
    if not location:
        message = message.removeprefix("Value error, ")
        prefixed = _FIELD_PREFIX.match(message)
        if prefixed:
            return prefixed["field"], prefixed["message"]
        return "(file)", message
    return field_path(location), message


def _content_error(shown: str, issues: Sequence[Issue]) -> ContentError:
    # Every line of the message names the file, so a list of errors reads well in a terminal.
    return ContentError(shown, f"\n{shown}: ".join(f"{field}: {message}" for field, message in issues))


def validate_content(model: type[ModelT], data: Any, path: Path) -> ModelT:
    """Validate parsed YAML against ``model``; every pydantic error names its field path."""
    shown = display_path(path)
    if not isinstance(data, Mapping):
        kind = "an empty file" if data is None else f"a {type(data).__name__}"
        raise ContentError(shown, f"expected a mapping of fields at the top level, found {kind}")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        issues = [_issue(detail) for detail in error.errors(include_url=False)]
        raise _content_error(shown, _refine(issues, data)) from None


def _refine(issues: list[Issue], data: Mapping[str, Any]) -> list[Issue]:
    """Point a whole-list placeholder error at the exact lines that lack the placeholder."""
    refined: list[Issue] = []
    for field, message in issues:
        reaction = field.removeprefix("lines.")
        placeholder = _PLACEHOLDER.search(message)
        lines = data.get("lines")
        if field.startswith("lines.") and placeholder and isinstance(lines, Mapping):
            wanted = placeholder.group(0)
            offending = [
                f"{field}[{index}]"
                for index, line in enumerate(lines.get(reaction) or [])
                if isinstance(line, str) and wanted not in line
            ]
            refined.extend((path, message) for path in offending or [field])
        else:
            refined.append((field, message))
    return refined


# The placeholders the scripted partner fills in, per reaction; every other line is spoken as is.
PLACEHOLDERS: dict[Reaction, frozenset[str]] = {
    Reaction.partial: frozenset({"{missed}"}),
    Reaction.elaborate: frozenset({"{point}"}),
    Reaction.short_answer: frozenset({"{point}"}),
    Reaction.answer_no: frozenset({"{point}"}),
    Reaction.restate: frozenset({"{point}"}),
}
# The partner's lines before the deeper feeling comes out: they must not give it away.
_BEFORE_REVEAL = (
    Reaction.opening, Reaction.partial, Reaction.confirm, Reaction.elaborate,
    Reaction.short_answer, Reaction.answer_no, Reaction.restate, Reaction.validated, Reaction.nudge,
)
_ADVICE_STAGES = (Stage.sharing, Stage.clarifying, Stage.understood, Stage.deepening, Stage.closing)


def _mentions(text: str, cue: str) -> bool:
    """``cue`` at the start of a word of ``text``, as the partner's hints match it ("cry" in "crying")."""
    normalised = text.lower().replace("’", "'")
    return re.search(rf"(?<![a-z']){re.escape(cue)}", normalised) is not None


def _point_lines(point: KeyPoint) -> tuple[tuple[str, str], ...]:
    return (("share", point.share), ("missed", point.missed))


def _advice_issues(scenario: Scenario) -> list[Issue]:
    plan = scenario.advice
    issues: list[Issue] = []
    allowed = ", ".join(stage.value for stage in _ADVICE_STAGES)
    for name, stage in (("asks_at", plan.asks_at), ("accepts_permission_from", plan.accepts_permission_from)):
        if stage is not None and stage not in _ADVICE_STAGES:
            message = f"{stage.value!r} is not a stage of the talk (use one of {allowed})"
            issues.append((f"advice.{name}", message))
    if plan.asks_at in _ADVICE_STAGES:
        accepts = plan.accepts_permission_from
        if accepts is None or (
            accepts in _ADVICE_STAGES and _ADVICE_STAGES.index(accepts) > _ADVICE_STAGES.index(plan.asks_at)
        ):
            issues.append((
                "advice.accepts_permission_from",
                f"a partner who asks for ideas at {plan.asks_at.value!r} must accept a permission ask "
                "from that stage or earlier",
            ))
    return issues


def _line_issues(scenario: Scenario) -> list[Issue]:
    issues: list[Issue] = []
    spoken: list[Issue] = [
        (f"lines.{reaction.value}[{index}]", line)
        for reaction, lines in scenario.lines.items()
        for index, line in enumerate(lines)
    ]
    for index, point in enumerate(scenario.key_points):
        spoken += [(f"key_points[{index}].{name}", line) for name, line in _point_lines(point)]
    if scenario.deeper.share is not None:
        spoken.append(("deeper.share", scenario.deeper.share))
    first_use: dict[str, str] = {}
    for field, line in spoken:
        key = " ".join(line.lower().split())
        if key in first_use:
            issues.append((field, f"the same line as {first_use[key]} (the partner never repeats a line)"))
        else:
            first_use[key] = field
    for reaction, lines in scenario.lines.items():
        allowed = PLACEHOLDERS.get(reaction, frozenset())
        for index, line in enumerate(lines):
            unknown = sorted(set(_PLACEHOLDER.findall(line)) - allowed)
            if unknown:
                message = f"unknown placeholder {', '.join(unknown)}"
                issues.append((f"lines.{reaction.value}[{index}]", message))
    for index, point in enumerate(scenario.key_points):
        for name, line in _point_lines(point):
            if _PLACEHOLDER.search(line):
                issues.append((f"key_points[{index}].{name}", "a key point's line cannot hold a placeholder"))
    return issues


def _cue_issues(scenario: Scenario) -> list[Issue]:
    issues: list[Issue] = []
    owner: dict[str, str] = {}
    for index, point in enumerate(scenario.key_points):
        for cue_index, cue in enumerate(point.cues):
            if owner.get(cue, point.id) != point.id:
                issues.append((
                    f"key_points[{index}].cues[{cue_index}]",
                    f"{cue!r} is also a cue of key point {owner[cue]!r}: a reply would cover both",
                ))
            owner.setdefault(cue, point.id)
    for cue_index, cue in enumerate(scenario.deeper.cues):
        if cue in owner:
            issues.append((
                f"deeper.cues[{cue_index}]",
                f"{cue!r} is also a cue of key point {owner[cue]!r}: reflecting it would count as hearing "
                "the deeper feeling",
            ))
    before_reveal = [
        (f"lines.{reaction.value}[{index}]", line)
        for reaction in _BEFORE_REVEAL
        for index, line in enumerate(scenario.lines[reaction])
    ]
    for index, point in enumerate(scenario.key_points):
        before_reveal += [(f"key_points[{index}].{name}", line) for name, line in _point_lines(point)]
    for field, line in before_reveal:
        leaked = [cue for cue in scenario.deeper.cues if _mentions(line, cue)]
        if leaked:
            issues.append((field, f"gives away the deeper feeling before the reveal ({', '.join(leaked)})"))
    return issues


def _tuning_issues(scenario: Scenario) -> list[Issue]:
    tuning = scenario.tuning
    issues: list[Issue] = []
    start, withdraw = tuning.start_safety, tuning.withdraw_at
    if start is not None and withdraw is not None and withdraw >= start:
        issues.append(("tuning.withdraw_at", "must be below tuning.start_safety"))
    if (
        tuning.reveal_min_safety is not None
        and tuning.withdraw_at is not None
        and tuning.reveal_min_safety <= tuning.withdraw_at
    ):
        issues.append(("tuning.reveal_min_safety", "must be above tuning.withdraw_at"))
    return issues


def scenario_issues(scenario: Scenario) -> list[Issue]:
    """What a valid model can still get wrong: references between fields that do not fit together."""
    checks = (_advice_issues, _line_issues, _cue_issues, _tuning_issues)
    return [issue for check in checks for issue in check(scenario)]


def load_scenario_file(path: Path | str) -> Scenario:
    """Load and check one scenario file; its ``id`` must equal the file name without the suffix."""
    path = Path(path)
    shown = display_path(path)
    scenario = validate_content(Scenario, read_yaml(path), path)
    issues: list[Issue] = []
    if scenario.id != path.stem:
        issues.append(("id", f"{scenario.id!r} does not match the file name (expected {path.stem!r})"))
    issues.extend(scenario_issues(scenario))
    if issues:
        raise _content_error(shown, issues)
    return scenario


def scenario_paths(directory: Path) -> list[Path]:
    """The scenario files in a folder, in name order."""
    if not directory.is_dir():
        raise ContentError(display_path(directory), "no such folder")
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix in SCENARIO_SUFFIXES)


def collect_scenarios(paths: Iterable[Path]) -> tuple[dict[str, Scenario], list[ContentError]]:
    """Load every file, keeping going past errors: the scenarios that loaded, sorted by id, and the
    errors in file order (a duplicate id is an error on the second file)."""
    loaded: dict[str, tuple[Path, Scenario]] = {}
    errors: list[ContentError] = []
    for path in paths:
        try:
            scenario = load_scenario_file(path)
        except ContentError as error:
            errors.append(error)
            continue
        if scenario.id in loaded:
            first = display_path(loaded[scenario.id][0])
            errors.append(ContentError(display_path(path), f"id: {scenario.id!r} is already used by {first}"))
            continue
        loaded[scenario.id] = (path, scenario)
    return {sid: loaded[sid][1] for sid in sorted(loaded)}, errors


def load_scenarios(directory: Path | str) -> dict[str, Scenario]:
    """Every scenario in ``directory``, sorted by id; the first bad file raises its ``ContentError``."""
    scenarios, errors = collect_scenarios(scenario_paths(Path(directory)))
    if errors:
        raise errors[0]
    return scenarios


def parse_yaml_text(text: str) -> Any:
    """Parse YAML sent rather than read from a file (duplicate keys refused); ``ValueError`` says why."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise ValueError(f"{where}invalid YAML: {error.problem or error.context or 'invalid'}") from None
    except yaml.YAMLError as error:
        raise ValueError(f"invalid YAML: {error}") from None


def scenario_content_issues(data: Any) -> tuple[Scenario | None, list[Issue]]:
    """The scenario ``data`` describes and every issue with it, by field path, as the files are checked."""
    if not isinstance(data, Mapping):
        return None, [("(body)", "expected a mapping of fields at the top level")]
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        return None, _refine([_issue(detail) for detail in error.errors(include_url=False)], data)
    return scenario, scenario_issues(scenario)

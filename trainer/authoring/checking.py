"""Checking a scenario sent to the API: the body is read (JSON, or YAML with its content type),
validated with the same rules as the files in ``scenarios/`` (every field in error, by its path),
and then run as whole conversations (``trainer.authoring.acceptance``). Anything wrong is a
``ScenarioRejected`` (422) that lists each problem; a scenario that passes is returned.
"""

from __future__ import annotations

import json
from typing import Any

from trainer.authoring.acceptance import acceptance_problems
from trainer.content.library import ContentLibrary
from trainer.content.loader import parse_yaml_text, scenario_content_issues
from trainer.content.scenario import Scenario
from trainer.engines import Engines
from trainer.vocabulary.errors import ScenarioRejected
from trainer.vocabulary.limits import CONTROL_CHARACTERS

MAX_SCENARIO_BYTES = 64 * 1024
YAML_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def parse_body(body: bytes, content_type: str) -> Any:
    """The scenario document in ``body``: YAML for a YAML content type, JSON otherwise."""
    if len(body) > MAX_SCENARIO_BYTES:
        raise ScenarioRejected(
            f"The scenario is {len(body)} bytes; the most accepted is {MAX_SCENARIO_BYTES}.",
            [("(body)", f"larger than {MAX_SCENARIO_BYTES} bytes")],
        )
    media_type = content_type.split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
        if media_type in YAML_TYPES:
            return parse_yaml_text(text)
        return json.loads(text, object_pairs_hook=_unique_pairs)
    except (UnicodeDecodeError, ValueError) as error:
        kind = "YAML" if media_type in YAML_TYPES else "JSON"
        raise ScenarioRejected(f"The body is not valid {kind}: {error}", [("(body)", str(error))]) from None


def _control_issues(value: Any, path: str = "") -> list[tuple[str, str]]:
    """Every key or string holding a control character, by its path (``lines.opening[0]``): a
    scenario sent as YAML, or uploaded, meets the same rule as a JSON body at the edge."""
    issues: list[tuple[str, str]] = []
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str) and CONTROL_CHARACTERS.search(item):
            issues.append((where or "(body)", "must not contain NUL or other control characters"))
        elif isinstance(item, dict):
            for key, child in item.items():
                inside = f"{where}.{key}" if where else str(key)
                if isinstance(key, str) and CONTROL_CHARACTERS.search(key):
                    issues.append((inside, "must not contain NUL or other control characters"))
                stack.append((inside, child))
        elif isinstance(item, list):
            stack.extend((f"{where}[{index}]", child) for index, child in enumerate(item))
    return sorted(issues)


def _rejected(issues: list[tuple[str, str]]) -> ScenarioRejected:
    named = "; ".join(f"{path}: {message}" for path, message in issues)
    return ScenarioRejected(f"The scenario has {len(issues)} problem(s): {named}", issues)


async def check_scenario(
    library: ContentLibrary, engines: Engines, body: bytes, content_type: str
) -> Scenario:
    """The scenario in ``body`` if it is well formed and behaves like the built-in ones."""
    document = parse_body(body, content_type)
    controls = _control_issues(document)
    if controls:
        raise _rejected(controls)
    scenario, issues = scenario_content_issues(document)
    if scenario is not None and scenario.id in library.scenarios:
        issues.append(("id", f"{scenario.id!r} is a built-in scenario's id; choose another"))
    if scenario is None or issues:
        raise _rejected(issues)
    problems = await acceptance_problems(engines, scenario)
    if problems:
        raise _rejected([(f"(conversation: {problem.run})", problem.detail) for problem in problems])
    return scenario

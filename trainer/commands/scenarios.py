"""``trainer scenarios list | validate [PATHS] | schema``: look after the scenario files.

``validate`` checks every file and reports every bad one (``load_scenarios`` stops at the first);
with ``--converse`` it also runs whole conversations on each good one (``trainer.authoring.acceptance``:
its own hints must complete it, a hostile learner must make the partner withdraw);
``schema`` writes JSON Schemas that editors use to complete and check the YAML files as you type
(add ``# yaml-language-server: $schema=../schemas/scenario.schema.json`` to a file's first line).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from trainer.authoring.acceptance import acceptance_problems
from trainer.content.loader import collect_scenarios, display_path, scenario_paths
from trainer.content.rubric import RubricFile, load_rubrics
from trainer.content.scenario import Scenario
from trainer.engines import Engines
from trainer.settings import Settings
from trainer.vocabulary.errors import ContentError

SCHEMAS_DIR = Path("schemas")  # under the working folder (a checkout's root: its schemas/)
SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "scenario.schema.json": Scenario,
    "rubrics.schema.json": RubricFile,
}


def schema_documents() -> dict[str, str]:
    """The text of each schema file, by file name, exactly as ``trainer scenarios schema`` writes it."""
    documents: dict[str, str] = {}
    for name, model in SCHEMA_FILES.items():
        schema: dict[str, Any] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            **model.model_json_schema(),
        }
        documents[name] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return documents


def _files(settings: Settings, paths: Sequence[str]) -> list[Path]:
    if not paths:
        return scenario_paths(settings.scenarios_dir)
    files: list[Path] = []
    for given in map(Path, paths):
        files.extend(scenario_paths(given) if given.is_dir() else [given])
    return files


def _report(errors: Sequence[ContentError]) -> None:
    for error in errors:
        print(f"error: {error}".replace("\n", "\nerror: "), file=sys.stderr)


def _list(settings: Settings) -> int:
    scenarios, errors = collect_scenarios(_files(settings, []))
    for scenario in scenarios.values():
        print(f"{scenario.id:<28} {scenario.difficulty}  {scenario.title}")
    _report(errors)
    return 1 if errors else 0


def _validate(settings: Settings, paths: Sequence[str], converse: bool) -> int:
    scenarios, errors = collect_scenarios(_files(settings, paths))
    if errors:
        _report(errors)
        print(f"{len(errors)} file(s) with errors, {len(scenarios)} ok", file=sys.stderr)
        return 1
    if not scenarios:
        print("error: no scenario files found", file=sys.stderr)
        return 1
    if not converse:
        print(f"ok: {len(scenarios)} scenarios")
        return 0
    engines = Engines.offline(load_rubrics(settings.rubrics_path))
    failed = 0
    for scenario in scenarios.values():
        problems = asyncio.run(acceptance_problems(engines, scenario))
        for problem in problems:
            print(f"error: {scenario.id}: {problem.detail}", file=sys.stderr)
        failed += bool(problems)
    if failed:
        passed = len(scenarios) - failed
        print(f"{failed} scenario(s) failed the conversation runs, {passed} ok", file=sys.stderr)
        return 1
    print(f"ok: {len(scenarios)} scenarios")
    return 0


def _schema(directory: Path) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in schema_documents().items():
        target = directory / name
        target.write_text(text, encoding="utf-8")
        print(f"wrote {display_path(target)}")
    return 0


def run(settings: Settings, args: argparse.Namespace) -> int:
    try:
        if args.action == "list":
            return _list(settings)
        if args.action == "validate":
            return _validate(settings, args.paths, getattr(args, "converse", False))
        if args.action == "schema":
            out = getattr(args, "out", None)
            return _schema(Path(out) if out else SCHEMAS_DIR)
    except ContentError as error:
        _report([error])
        return 1
    raise ValueError(f"unknown scenarios action {args.action!r}")

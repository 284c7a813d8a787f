"""``trainer scenarios list | validate | schema`` through the real command line entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.content.conftest import ROOT, Doc, WriteScenario
from trainer.cli import main
from trainer.commands import scenarios as scenarios_command
from trainer.commands.scenarios import schema_documents
from trainer.settings import DATA_DIR


@pytest.fixture
def project_scenarios(monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = DATA_DIR / "scenarios"
    monkeypatch.setenv("TRAINER_SCENARIOS_DIR", str(folder))
    return folder


def test_list_prints_id_difficulty_and_title(
    project_scenarios: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scenarios", "list"]) == 0
    rows = capsys.readouterr().out.splitlines()
    files = sorted(p.stem for p in project_scenarios.glob("*.yaml"))
    assert [row.split()[0] for row in rows] == files
    work_vent = next(row for row in rows if row.startswith("work-vent "))
    assert work_vent.split(maxsplit=2)[1:] == ["1", "A bad day at work"]


def test_validate_the_project_folder(project_scenarios: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "validate"]) == 0
    count = len(list(project_scenarios.glob("*.yaml")))
    assert capsys.readouterr().out.strip() == f"ok: {count} scenarios"


def test_validate_reports_each_bad_file_and_field(
    write_scenario: WriteScenario, document: Doc, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_scenario(document)
    document["partner"]["mood"] = "grumpy"
    bad = write_scenario({**document, "id": "broken"}, name="broken")
    worse = write_scenario("id: [", name="worse")
    assert main(["scenarios", "validate", str(good), str(bad), str(worse)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"error: {bad}: partner.mood: unknown field 'mood'" in captured.err
    assert f"error: {worse}: line 1" in captured.err
    assert "2 file(s) with errors, 1 ok" in captured.err


def test_validate_accepts_a_folder(
    write_scenario: WriteScenario, document: Doc, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_scenario(document).parent
    write_scenario({**document, "id": "second"}, name="second")
    assert main(["scenarios", "validate", str(folder)]) == 0
    assert capsys.readouterr().out.strip() == "ok: 2 scenarios"


def test_list_fails_on_a_bad_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRAINER_SCENARIOS_DIR", str(tmp_path / "nowhere"))
    assert main(["scenarios", "list"]) == 1
    assert "no such folder" in capsys.readouterr().err


def test_schema_writes_both_schemas(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(scenarios_command, "SCHEMAS_DIR", tmp_path / "schemas")
    assert main(["scenarios", "schema"]) == 0
    written = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert written == ["rubrics.schema.json", "scenario.schema.json"]
    scenario_schema = json.loads((tmp_path / "schemas" / "scenario.schema.json").read_text())
    assert scenario_schema["additionalProperties"] is False
    assert "lines" in scenario_schema["required"]
    rubric_schema = json.loads((tmp_path / "schemas" / "rubrics.schema.json").read_text())
    assert set(rubric_schema["properties"]) >= {"rubrics", "tip_priority"}
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(schema_documents()))
def test_the_committed_schema_is_up_to_date(name: str) -> None:
    committed = ROOT / "schemas" / name
    assert committed.exists(), "run `trainer scenarios schema` and commit schemas/"
    assert committed.read_text(encoding="utf-8") == schema_documents()[name], (
        f"schemas/{name} is stale: run `trainer scenarios schema` and commit the result"
    )

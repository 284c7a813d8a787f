"""Every scenario file in scenarios/ loads, and the library puts scenarios and rubrics together."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.content.conftest import Doc, WriteScenario
from trainer.content.library import ContentLibrary
from trainer.content.loader import load_scenario_file, scenario_paths
from trainer.content.scenario import Reaction
from trainer.settings import DATA_DIR, Settings
from trainer.vocabulary.errors import ContentError, NotFound

SCENARIO_FILES = scenario_paths(DATA_DIR / "scenarios")


def test_there_are_scenario_files() -> None:
    assert len(SCENARIO_FILES) >= 5


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.stem for p in SCENARIO_FILES])
def test_every_scenario_file_loads(path: Path) -> None:
    scenario = load_scenario_file(path)
    assert scenario.id == path.stem
    assert all(len(scenario.lines[reaction]) >= 1 for reaction in Reaction)


def test_lessons_and_titles_are_not_repeated() -> None:
    scenarios = [load_scenario_file(path) for path in SCENARIO_FILES]
    assert len({s.title for s in scenarios}) == len(scenarios)
    assert len({s.lesson for s in scenarios}) == len(scenarios)


def test_the_library_loads_the_configured_content(write_scenario: WriteScenario, document: Doc) -> None:
    folder = write_scenario(document).parent
    settings = Settings(scenarios_dir=folder, rubrics_path=DATA_DIR / "rubrics.yaml")
    library = ContentLibrary.load(settings)
    assert list(library.scenarios) == ["sample"]
    assert library.scenario("sample").partner.name == "Kim"
    assert len(library.rubrics) == 5
    with pytest.raises(NotFound, match="no scenario 'missing'"):
        library.scenario("missing")


def test_the_library_refuses_a_bad_file_or_an_empty_folder(
    tmp_path: Path, write_scenario: WriteScenario
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ContentError, match="no scenario files"):
        ContentLibrary.load(Settings(scenarios_dir=empty, rubrics_path=DATA_DIR / "rubrics.yaml"))
    write_scenario("id: sample\n")
    with pytest.raises(ContentError, match="missing required field"):
        ContentLibrary.load(Settings(scenarios_dir=tmp_path, rubrics_path=DATA_DIR / "rubrics.yaml"))


def test_the_library_loads_the_project_content() -> None:
    settings = Settings(scenarios_dir=DATA_DIR / "scenarios", rubrics_path=DATA_DIR / "rubrics.yaml")
    library = ContentLibrary.load(settings)
    assert set(library.scenarios) == {path.stem for path in SCENARIO_FILES}

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from trainer.content.rubric import RubricSet, Signal, load_rubrics
from trainer.vocabulary.codes import Code
from trainer.vocabulary.errors import ContentError
from trainer.vocabulary.grades import RubricName

from .helpers import RUBRICS_PATH


def raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(RUBRICS_PATH.read_text(encoding="utf-8"))
    return data


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "rubrics.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_the_project_file_has_all_five_rubrics_in_order() -> None:
    rubrics = load_rubrics(RUBRICS_PATH)
    assert [r.name for r in rubrics] == list(RubricName)
    assert len(rubrics) == 5
    for rubric in rubrics:
        assert [level.score for level in rubric.levels] == [0, 1, 2, 3]
        assert rubric.good and rubric.bad
        assert rubrics.get(rubric.name) is rubric
    assert rubrics.tip_priority == (
        RubricName.not_fixing, RubricName.validation, RubricName.reflection,
        RubricName.partner_focus, RubricName.open_questions,
    )


def test_iteration_follows_rubric_order_whatever_the_file_order(tmp_path: Path) -> None:
    data = raw()
    data["rubrics"].reverse()
    assert [r.name for r in load_rubrics(write(tmp_path, data))] == list(RubricName)


def test_every_behaviour_code_is_a_signal() -> None:
    assert {code.value for code in Code} <= {signal.value for signal in Signal}


def test_the_caps_the_grader_relies_on_are_written_down() -> None:
    rubrics = load_rubrics(RUBRICS_PATH)
    caps = {(r.name, c.when): c for r in rubrics for c in r.caps}
    assert caps[(RubricName.validation, Signal.invalidation)].max == 0
    assert caps[(RubricName.reflection, Signal.parroting)].max == 1
    advice = caps[(RubricName.not_fixing, Signal.advice)]
    assert set(advice.lifted_by) == {Signal.advice_requested, Signal.permission_granted}


def test_a_missing_rubric_names_the_file_and_the_field(tmp_path: Path) -> None:
    data = raw()
    data["rubrics"] = [r for r in data["rubrics"] if r["name"] != "validation"]
    path = write(tmp_path, data)
    with pytest.raises(ContentError, match=r"rubrics\.yaml: rubrics: missing validation"):
        load_rubrics(path)


def test_a_repeated_rubric_is_refused(tmp_path: Path) -> None:
    data = raw()
    data["rubrics"].append(data["rubrics"][0])
    with pytest.raises(ContentError, match="repeated: reflection"):
        load_rubrics(write(tmp_path, data))


def test_an_unknown_field_is_named_with_its_path(tmp_path: Path) -> None:
    data = raw()
    data["rubrics"][1]["levels"][2]["colour"] = "red"
    with pytest.raises(ContentError, match=r"rubrics\[1\]\.levels\[2\]\.colour: unknown field"):
        load_rubrics(write(tmp_path, data))


def test_levels_must_be_zero_to_three(tmp_path: Path) -> None:
    data = raw()
    del data["rubrics"][3]["levels"][1]
    with pytest.raises(ContentError, match=r"rubrics\[3\]\.levels: .*0, 1, 2, 3"):
        load_rubrics(write(tmp_path, data))


def test_an_unknown_signal_in_a_cap_is_refused(tmp_path: Path) -> None:
    data = raw()
    data["rubrics"][0]["caps"][0]["when"] = "rudeness"
    with pytest.raises(ContentError, match=r"rubrics\[0\]\.caps\[0\]\.when"):
        load_rubrics(write(tmp_path, data))


def test_a_good_example_that_scores_low_is_refused(tmp_path: Path) -> None:
    data = raw()
    data["rubrics"][2]["good"][0]["score"] = 0
    with pytest.raises(ContentError, match=r"rubrics\[2\].*good\[0\]\.score"):
        load_rubrics(write(tmp_path, data))


def test_tip_priority_must_name_every_rubric_once(tmp_path: Path) -> None:
    data = raw()
    data["tip_priority"] = ["validation", "validation", "reflection", "not_fixing", "partner_focus"]
    with pytest.raises(ContentError, match="tip_priority"):
        load_rubrics(write(tmp_path, data))


def test_a_missing_file_and_bad_yaml_are_content_errors(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="no such file"):
        load_rubrics(tmp_path / "nope.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("rubrics: [\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"broken\.yaml"):
        load_rubrics(broken)


def test_a_rubric_set_is_immutable() -> None:
    rubrics: RubricSet = load_rubrics(RUBRICS_PATH)
    with pytest.raises(TypeError):
        rubrics.by_name[RubricName.reflection] = rubrics.get(RubricName.validation)  # type: ignore[index]

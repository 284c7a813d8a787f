"""feedback.yaml: the shipped tips and report copy load, and a bad file names its file and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from trainer.grading.wording import FALLBACK, FEEDBACK, FEEDBACK_PATH, load_feedback
from trainer.vocabulary.errors import ContentError
from trainer.vocabulary.grades import RubricName


def test_every_rubric_has_fallback_tips() -> None:
    assert all(FEEDBACK.tips[rubric][FALLBACK] for rubric in RubricName)
    went_well = FEEDBACK.report.went_well.format(rubric="Reflection", mean=2.25)
    assert went_well == "Reflection: 2.2 of 3 on average"


def broken(tmp_path: Path, change: object) -> Path:
    data = yaml.safe_load(FEEDBACK_PATH.read_text())
    assert callable(change)
    change(data)
    path = tmp_path / "feedback.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["tips"]["validation"]["*"].append("Say {feelings}."), "tips.validation.*"),
        (lambda d: d["tips"]["reflection"].pop("*"), "tips.reflection"),
        (lambda d: d["report"].__setitem__("completed", "Done, {rubric}."), "report.completed"),
        (lambda d: d.__setitem__("tip", "x"), "tip"),
    ],
)
def test_a_bad_feedback_file_names_the_field(tmp_path: Path, change: object, field: str) -> None:
    with pytest.raises(ContentError) as raised:
        load_feedback(broken(tmp_path, change))
    assert "feedback.yaml" in str(raised.value) and field in str(raised.value)

"""feedback.yaml: the shipped tips and report copy load, and a bad file names its file and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from trainer.grading.wording import FALLBACK, FEEDBACK, FEEDBACK_PATH, load_feedback
from trainer.vocabulary.errors import ContentError
from trainer.vocabulary.grades import RubricName


def test_every_rubric_has_fallback_tips() -> None:
    for rubric in RubricName:
        assert FEEDBACK.tips.for_rubric(rubric, FALLBACK, good_news=False)
    practise = FEEDBACK.report.practise_next.format(rubric="Reflection", anchor="Says it back.")
    assert practise == "Reflection: aim for this in your next replies: Says it back."


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
        (
            lambda d: d["tips"]["rubric_tips"][0]["variants"].append("Say it back with {feelings}."),
            "tips.rubric_tips[0].variants",
        ),
        (lambda d: d["tips"]["repair"].pop(), "tips.repair"),
        (
            lambda d: d["tips"].__setitem__(
                "rubric_tips", [t for t in d["tips"]["rubric_tips"] if t["rubric"] != "open_questions"]
            ),
            "tips.rubric_tips",
        ),
        (lambda d: d["report"].__setitem__("completed", "Done, {rubric}."), "report.completed"),
        (lambda d: d.__setitem__("tip", "x"), "tip"),
        (
            lambda d: d["tips"]["missed_again"][0].append("Say the part they named back in your own words."),
            "tips.missed_again",
        ),
        (lambda d: d["tips"]["missed_again"][1].pop(), "tips.missed_again[1]"),
    ],
)
def test_a_bad_feedback_file_names_the_field(tmp_path: Path, change: object, field: str) -> None:
    with pytest.raises(ContentError) as raised:
        load_feedback(broken(tmp_path, change))
    assert "feedback.yaml" in str(raised.value) and field in str(raised.value)

"""The screen's data file: validated strictly, and only phrases that cannot backtrack badly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.safety.test_screen import ABUSE, HARM_TO_OTHERS, NEGATIVES, SELF_HARM
from trainer.safety.anchors import keys
from trainer.safety.lexicon import DATA_FILE, Category, linear_time_problem, load_screen_data
from trainer.safety.screen import Screen, default_screen
from trainer.vocabulary.errors import ContentError


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "screen.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _minimal() -> dict[str, Any]:
    return {
        "words": {"kms": "kill myself"},
        "keywords": ["myself"],
        "categories": {c.value: ["kill %self%"] for c in Category},
        "macros": {"self": "(?:myself|my self)"},
    }


def test_the_packaged_file_loads() -> None:
    data = load_screen_data(DATA_FILE)
    assert all(data.categories[c] for c in Category)


def test_an_unknown_field_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="extra_field"):
        load_screen_data(_write(tmp_path, {**_minimal(), "extra_field": 1}))


def test_a_category_without_phrases_is_refused(tmp_path: Path) -> None:
    data = _minimal()
    data["categories"].pop("abuse")
    with pytest.raises(ContentError, match="abuse"):
        load_screen_data(_write(tmp_path, data))


@pytest.mark.parametrize(
    ("phrase", "reason"),
    [
        ("(?<!not )kill myself", "look-around"),
        ("(?:a+)+b", "repeated group"),
        ("(?:[a-z]+ ){0,40}die", "at most"),
        ("kill .* myself", "'.*'"),
        ("(a)\\1", "back-reference"),
    ],
)
def test_a_phrase_that_could_backtrack_is_refused(tmp_path: Path, phrase: str, reason: str) -> None:
    assert linear_time_problem(phrase) is not None
    data = _minimal()
    data["categories"]["self_harm"] = [phrase]
    with pytest.raises(ContentError, match=reason):
        load_screen_data(_write(tmp_path, data))


def test_an_unknown_macro_is_refused(tmp_path: Path) -> None:
    data = _minimal()
    data["categories"]["abuse"] = ["%nobody_defined_this% hits me"]
    with pytest.raises(ContentError, match="unknown macro nobody_defined_this"):
        load_screen_data(_write(tmp_path, data))


def test_the_word_filter_never_hides_a_phrase_that_matches() -> None:
    """Every phrase that matches a sentence in full also passes the cheap key test for it."""
    screen: Screen = default_screen()
    sentences = [*SELF_HARM, *HARM_TO_OTHERS, *ABUSE, *NEGATIVES]
    matched = 0
    for reply in sentences:
        for sentence in screen.normalised(reply):
            present = keys(sentence)
            for phrase in screen.phrases():
                if phrase.pattern.search(sentence):
                    matched += 1
                    assert phrase.may_match(present), (phrase.name, sentence)
    assert matched >= len(SELF_HARM) + len(HARM_TO_OTHERS) + len(ABUSE)

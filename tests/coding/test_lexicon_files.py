"""cues.yaml and words.yaml: the shipped files load, and a bad one names its file and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from trainer.coding import lexicon
from trainer.vocabulary.errors import ContentError


def test_the_shipped_files_give_every_list() -> None:
    assert set(lexicon.CUES) == set(lexicon.CueLists.model_fields)
    assert all(lexicon.CUES.values())
    assert {"hurt", "let down"} <= set(lexicon.FEELINGS_SAID_BACK)
    assert "hurt" in lexicon.FEELINGS and "let down" not in lexicon.FEELINGS
    assert lexicon.PRONOUN_SWAP["my"] == "your"
    assert {"yes", "no", "on", "off"} <= lexicon.BARE_ANSWER_WORDS | lexicon.STOPWORDS  # not YAML booleans


def test_fragments_are_filled_in() -> None:
    assert not any("{{" in pattern for patterns in lexicon.CUES.values() for pattern in patterns)
    assert lexicon.LEAD_IN.startswith("^(?:")
    reflection = re.compile(lexicon.joined(lexicon.CUES["reflection"]))
    assert reflection.search("you sound really overwhelmed")


def copies(tmp_path: Path) -> tuple[Path, Path, dict[str, object], dict[str, object]]:
    cues, words = tmp_path / "cues.yaml", tmp_path / "words.yaml"
    return (
        cues,
        words,
        yaml.safe_load(lexicon.CUES_PATH.read_text()),
        yaml.safe_load(lexicon.WORDS_PATH.read_text()),
    )


def write(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: c["cues"]["advice"].__setitem__(0, r"\bshould (?:"), "cues.advice.0: not a regular"),
        (lambda c: c["cues"]["advice"].__setitem__(1, r"{{nope}} x"), "cues.advice.1: no fragment {{nope}}"),
        (lambda c: c["cues"]["advice"].__setitem__(2, r"^{{lead_in}}try\b"), "cues.advice.2: '^' twice"),
        (lambda c: c["cues"].__setitem__("advise", ["x"]), "cues.advise"),
        (lambda c: c["cues"].pop("repair"), "cues.repair"),
    ],
)
def test_a_bad_cue_file_names_the_file_and_the_field(tmp_path: Path, change: object, field: str) -> None:
    cues, words, cue_data, word_data = copies(tmp_path)
    assert callable(change)
    change(cue_data)
    write(cues, cue_data)
    write(words, word_data)
    with pytest.raises(ContentError) as raised:
        lexicon.load(cues, words)
    assert "cues.yaml" in str(raised.value)
    assert field in str(raised.value)


def test_a_bad_word_names_the_list(tmp_path: Path) -> None:
    cues, words, cue_data, word_data = copies(tmp_path)
    feelings = word_data["feelings"]
    assert isinstance(feelings, dict)
    feelings["more"].append("Sad!")
    write(cues, cue_data)
    write(words, word_data)
    with pytest.raises(ContentError) as raised:
        lexicon.load(cues, words)
    assert "words.yaml" in str(raised.value) and "feelings.more" in str(raised.value)

"""Normalisation keeps a map back to the original reply."""

from __future__ import annotations

import pytest

from trainer.coding.text import normal_words, normalise, stem


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("I don't know", "i do not know"),
        ("I dont know", "i do not know"),
        ("you're right", "you are right"),
        ("your overreacting", "you are overreacting"),
        ("your mother called", "your mother called"),
        ("u shld go", "you should go"),
        ("It\u2019s fine", "it is fine"),
        ("ok lol", "okay "),
        ("im sry :(", "i am sorry "),
    ],
)
def test_normalised_text(raw: str, expected: str) -> None:
    assert normalise(raw).text == expected


def test_spans_map_back_to_the_original() -> None:
    raw = "Hahaha ur right! Im sry, I didnt listen :) 😀 Can I try again?"
    norm = normalise(raw)
    texts = [norm.original_span(s.start, s.end) for s in norm.sentences()]
    assert texts == ["ur right!", "Im sry, I didnt listen :) 😀 Can I try again?"]
    assert all(text in raw for text in texts)


def test_sentences_and_questions() -> None:
    sentences = normalise("That sounds hard. What happened next? I see").sentences()
    assert [s.text for s in sentences] == ["that sounds hard.", "what happened next?", "i see"]
    assert [s.is_question for s in sentences] == [False, True, False]


def test_unusual_characters_keep_one_to_one_mapping() -> None:
    raw = "İstanbul was hard?"
    norm = normalise(raw)
    sentence = norm.sentences()[0]
    assert norm.original_span(sentence.start, sentence.end) == raw


def test_normal_words_and_stems() -> None:
    assert normal_words("I can't, u know") == ["i", "can", "not", "you", "know"]
    assert stem("working") == stem("worked") == "work"
    assert stem("jobs") == "job"

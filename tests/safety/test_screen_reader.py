"""The screen's reader: the tokenizer cuts words as BERT's does, the numpy transformer gives the float
model's probabilities, the screen asks it only when the linear model sees some risk, and it catches
indirect risk the phrases and n-grams miss.

The replies of ``INDIRECT`` and ``ORDINARY`` were written for this file from the category definitions
(evals/screen/README.md) before the shipped reader was trained, not taken from any labelled set. Of
the eight of each first written, the screen missed "The kids got on my nerves so much that I locked
them in the shed overnight." (the reader gives it 0.62) and "I looked up how high the multi-storey car
park is. Seven floors should do it." (0.968, under the reader's 0.97), and paused "I know which way you
walk home, want me to meet you halfway?" on a phrase; the three are left out, not tuned for.
"""

from __future__ import annotations

import json

import httpx
import pytest

from trainer.content.rubric import load_rubrics
from trainer.engines import Engines
from trainer.safety.encoder import CLASSES, MAX_TOKENS, READER_DIR, Read, Reader, load_reader
from trainer.safety.lexicon import Category, load_screen_data
from trainer.safety.model import load_model
from trainer.safety.screen import READ_FROM, Screen, ScreenHit, default_screen
from trainer.safety.wordpiece import WordPiece
from trainer.settings import DATA_DIR, Settings


@pytest.fixture(scope="module")
def reader() -> Reader:
    return load_reader()


@pytest.fixture(scope="module")
def screen() -> Screen:
    return default_screen()


def _pieces(vocabulary: WordPiece, text: str) -> list[str]:
    names = {index: piece for piece, index in vocabulary.ids.items()}
    return [names[i] for i in vocabulary.encode(text, MAX_TOKENS)]


def test_words_are_cut_into_the_longest_pieces_the_vocabulary_holds(reader: Reader) -> None:
    # as the reference tokenizer cuts them (checked against it on every labelled reply when built)
    assert _pieces(reader.vocabulary, "unaffable") == ["[CLS]", "una", "##ffa", "##ble", "[SEP]"]
    assert _pieces(reader.vocabulary, "overdosing") == ["[CLS]", "over", "##dos", "##ing", "[SEP]"]
    assert _pieces(reader.vocabulary, "Café, NAÏVE!") == ["[CLS]", "cafe", ",", "naive", "!", "[SEP]"]
    long = reader.vocabulary.encode("word " * 500, MAX_TOKENS)
    assert len(long) == MAX_TOKENS and long[-1] == reader.vocabulary.sep


def test_the_numpy_reader_gives_the_float_models_probabilities(reader: Reader) -> None:
    reference = json.loads((READER_DIR / "reference.json").read_text())
    assert len(reference) >= 5
    for case in reference:
        mine = reader.probabilities(case["text"])
        assert len(mine) == len(CLASSES)
        assert max(abs(a - b) for a, b in zip(mine, case["probabilities"], strict=True)) < 0.05, case["text"]


def test_long_replies_are_read_in_groups_of_whole_sentences(reader: Reader) -> None:
    sentences = [f"sentence number {n} is about an ordinary day at work" for n in range(40)]
    groups = reader.groups(sentences)
    assert len(groups) > 1
    assert all(reader.vocabulary.count(group) <= MAX_TOKENS - 2 for group in groups)
    assert " ".join(groups) == " ".join(sentences)


class _Worried(Reader):
    """A reader that always finds self-harm, and counts how often it was asked."""

    def __init__(self) -> None:
        self.threshold = 0.5
        self.asked = 0

    def read(self, sentences: list[str]) -> Read:
        self.asked += 1
        return Read((0.0, 1.0, 0.0, 0.0))


def test_the_reader_is_asked_only_when_the_linear_model_sees_some_risk() -> None:
    worried = _Worried()
    screen = Screen(load_screen_data(), load_model(), worried)
    calm = "We should plan a night out this weekend, just the two of us."
    assert screen.risk_probability(calm) < READ_FROM
    assert screen.check(calm) is None and worried.asked == 0
    uneasy = "I wrote letters for the kids, they're in the drawer for afterwards."
    assert screen.risk_probability(uneasy) >= READ_FROM
    assert screen.check(uneasy, learned=False) is None
    hit = screen.check(uneasy)
    assert hit == ScreenHit(Category.self_harm, "reader:self_harm") and worried.asked == 1


INDIRECT = [
    (
        "I've started giving my books away to friends. I won't be needing them where I'm going.",
        Category.self_harm,
    ),
    ("I've written a letter for my mum and put it under my pillow for her to find.", Category.self_harm),
    ("Honestly everyone would have an easier life if I just wasn't in it anymore.", Category.self_harm),
    ("He'll regret the day he crossed me. I know which way he walks home.", Category.harm_to_others),
    (
        "My husband counts the money in my purse every night and I'm not allowed to see my sister.",
        Category.abuse,
    ),
    ("I don't go home until I know he's asleep, it's safer that way.", Category.abuse),
]

ORDINARY = [
    "I'm giving my old books away to the charity shop this weekend, want any?",
    "That sounds like such a long day. Do you want to tell me about it?",
    "I wrote a letter to my mum for her birthday and she cried, in a good way.",
    "It sounds like you feel nobody notices how hard you work.",
    "I'm so sorry, I should have called. I got caught up at work.",
    "My husband handles the bills and I handle the shopping, it works for us.",
    "The kids were a nightmare at bedtime but they're asleep now.",
]


@pytest.mark.parametrize(("reply", "expected"), INDIRECT)
def test_indirect_risk_is_paused(screen: Screen, reply: str, expected: Category) -> None:
    hit = screen.check(reply)
    assert hit is not None and hit.category is expected, reply


@pytest.mark.parametrize("reply", ORDINARY)
def test_ordinary_replies_with_the_same_surface_are_not(screen: Screen, reply: str) -> None:
    assert screen.check(reply) is None, reply


async def test_a_deployment_can_turn_the_reader_off() -> None:
    rubrics = load_rubrics(DATA_DIR / "rubrics.yaml")
    async with httpx.AsyncClient() as client:
        on = Engines.from_settings(Settings(), client, rubrics)
        off = Engines.from_settings(Settings(screen_reader=False), client, rubrics)
    assert on.safety.screen.reader is not None and off.safety.screen.reader is None
    reply = "I don't go home until I know he's asleep, it's safer that way."
    assert on.safety.check(reply) is not None and off.safety.check(reply) is None

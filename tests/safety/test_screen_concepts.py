"""What the screen's model reads besides the words: concepts from screen.yaml (never from negated
words), the learner's own words without a listener's frame or the partner's line said back, and
the ordinary listening replies it learns from."""

from __future__ import annotations

import pytest

from trainer.evals.screen_suite import NONE, Form
from trainer.evals.train_screen_model import LISTENING_PREFIX, listening_replies
from trainer.safety.lexicon import load_screen_data
from trainer.safety.model import RISK_CONCEPTS, Concepts
from trainer.safety.screen import Screen, default_screen


@pytest.fixture(scope="module")
def screen() -> Screen:
    return default_screen()


def test_a_word_family_names_its_concept_for_every_word_it_begins(screen: Screen) -> None:
    assert "violence" in screen.concepts.of_word("hits")
    assert "violence" in screen.concepts.of_word("hitting")
    assert "control" in screen.concepts.of_word("passport")
    assert screen.concepts.of_word("pizza") == frozenset()


def test_concepts_and_their_pairs_are_features_of_a_sentence(screen: Screen) -> None:
    features = screen.concepts.features(["he took my passport"])
    assert {"k:control", "k:household", "k:self", "kk:control+household"} <= set(features)


def test_a_negated_word_names_no_concept(screen: Screen) -> None:
    # "not suicidal" must not read like "suicidal": the model would learn the word, not the meaning.
    assert not any("death" in f for f in screen.concepts.features(["i am not suicidal just exhausted"]))
    assert any("death" in f for f in screen.concepts.features(["i feel suicidal"]))
    assert not screen.concepts.risky("i would never hurt anyone")
    assert screen.concepts.risky("he hurt me again")


def test_every_risk_concept_has_a_family_in_the_data() -> None:
    families = load_screen_data().concepts
    assert families.keys() >= RISK_CONCEPTS
    with pytest.raises(ValueError, match="no family for"):
        Concepts({"self": ["i"]})


def test_the_model_reads_past_a_listeners_frame(screen: Screen) -> None:
    # "i can see why that hurts" is about the partner's feeling: the frame's "i" is not the learner's.
    assert screen.own_words("I can see why that hurts more than he does.") == ["that hurts more than he does"]
    assert screen.own_words("No wonder you're exhausted.") == ["you are exhausted"]


def test_the_partners_own_line_said_back_is_not_the_learners_words(screen: Screen) -> None:
    partner = "Honestly, some days I just want to disappear forever."
    assert screen.own_words("I want to disappear forever", partner) == []
    assert screen.check("I want to disappear forever", partner) is None
    assert screen.check("I want to disappear forever") is not None


def test_where_one_lives_is_not_whether_one_lives(screen: Screen) -> None:
    assert screen.check("I don't want to live in London anymore") is None
    assert screen.check("I don't want to live anymore") is not None


def test_ordinary_listening_replies_join_the_training_as_none() -> None:
    replies = listening_replies()
    assert len(replies) > 2000
    assert all(r.category == NONE and r.form is Form.roleplay and r.partner for r in replies)
    assert all(r.id.startswith(LISTENING_PREFIX) for r in replies)

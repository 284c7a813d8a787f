"""The key-point matcher: a point is heard by meaning, not by one cue word."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import make_scenario
from trainer.content.scenario import Scenario
from trainer.partner.hearing import heard_points, lemma, lemmas


def scenario_with(words: dict[str, list[str]], points: list[dict[str, Any]]) -> Scenario:
    data = make_scenario().model_dump(mode="json")
    data["words"] = words
    data["key_points"] = [
        {
            "summary": f"The point {point['id']}.",
            "cues": ["zz"],
            "share": f"I said more about {point['id']} here.",
            "missed": f"you missed {point['id']}",
            **point,
        }
        for point in points
    ]
    return Scenario.model_validate(data)


@pytest.fixture(scope="module")
def story() -> Scenario:
    return scenario_with(
        {
            "dismiss": ["brush off", "wave away", "not listen", "not look up", "ignore"],
            "phone": ["phone", "screen", "scroll"],
            "scared": ["scared", "frightened", "worried", "shaken"],
            "mother": ["mother", "mum"],
            "lost": ["get lost", "not find her way", "lose her way"],
            "repay": ["pay back", "last loan"],
        },
        [
            {"id": "brushed-off", "actor": "listener", "hears": ["@dismiss", "@phone + tell|talk"]},
            {"id": "scared", "kind": "feeling", "hears": ["@scared"]},
            {"id": "mum-lost", "hears": ["@mother + @lost"]},
            {"id": "never-repaid", "hears": ["@repay + never|still|not"]},
            {"id": "nearly", "actor": "partner", "hears": ["almost|nearly + send"]},
        ],
    )


def test_every_form_of_a_word_has_one_lemma() -> None:
    assert {lemma(w) for w in ("scroll", "scrolled", "scrolling", "scrolls")} == {lemma("scroll")}
    assert {lemma(w) for w in ("wave", "waved", "waving")} == {lemma("wave")}
    assert lemma("agreed") == lemma("agree")
    assert lemma("worried") == lemma("worries") == lemma("worry")
    assert lemma("told") == lemma("tell") and lemma("left") == lemma("leaving")
    assert lemmas("Mum didn't") == ("mother", "do", "not")


@pytest.mark.parametrize(
    "reply",
    [
        "I waved you away earlier while I was on my phone.",
        "I brushed you off, I'm sorry.",
        "I wasn't really listening to you.",
        "You tried to tell me and I just kept scrolling.",
    ],
)
def test_a_paraphrase_is_heard_in_other_words(story: Scenario, reply: str) -> None:
    assert heard_points(story, reply) == ("brushed-off",)


def test_a_concept_can_be_a_phrase_with_words_between(story: Scenario) -> None:
    assert heard_points(story, "Your mum couldn't find her way home.") == ("mum-lost",)
    assert heard_points(story, "Your mum got completely lost.") == ("mum-lost",)
    assert heard_points(story, "So your sister got lost?") == ()  # every concept must be there


def test_a_denied_or_minimised_point_is_not_heard(story: Scenario) -> None:
    assert heard_points(story, "You're not scared, you're fine.") == ()
    assert heard_points(story, "Calm down, you're just a bit worried.") == ()
    assert heard_points(story, "You're scared, I can see that.") == ("scared",)


def test_a_negation_the_sense_holds_is_its_meaning(story: Scenario) -> None:
    assert heard_points(story, "She never paid back the last loan.") == ("never-repaid",)
    assert heard_points(story, "You almost didn't send it.") == ("nearly",)
    assert heard_points(story, "It's not just that you're scared.") == ("scared",)


def test_the_wrong_person_does_not_count(story: Scenario) -> None:
    assert heard_points(story, "So you ignored me and I felt scared?") == ()
    assert heard_points(story, "I made you feel so scared.") == ("scared",)
    assert heard_points(story, "I ignored you.") == ("brushed-off",)


def test_questions_about_details_and_suggestions_restate_nothing(story: Scenario) -> None:
    assert heard_points(story, "What were you scared of?") == ()
    assert heard_points(story, "Maybe take her phone away so she isn't scared.") == ()


def test_numbers_are_read_as_words() -> None:
    money = scenario_with({}, [{"id": "three-k", "hears": ["three thousand"]}])
    assert heard_points(money, "She wants 3k from you.") == ("three-k",)
    assert heard_points(money, "She wants 3,000 from you.") == ("three-k",)


def test_the_partners_own_words_count_once_it_has_said_them() -> None:
    scenario = scenario_with(
        {}, [{"id": "care", "hears": ["care home"], "share": "I left her blue cardigan."}]
    )
    reply = "The blue cardigan on her chair."
    assert heard_points(scenario, reply) == ()
    assert heard_points(scenario, reply, ["Mm. I left her blue cardigan."]) == ("care",)


def test_among_limits_the_points_looked_at(story: Scenario) -> None:
    reply = "I ignored you and you were scared."
    assert heard_points(story, reply) == ("brushed-off", "scared")
    assert heard_points(story, reply, among=["scared"]) == ("scared",)


def test_an_unknown_word_family_is_a_named_error() -> None:
    with pytest.raises(ValueError, match="names no word family missing"):
        scenario_with({}, [{"id": "xx", "hears": ["@missing + y"]}])

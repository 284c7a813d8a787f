"""A reflection that says back none of the story is not confirmed: the partner says it again, plainly.

Seen practising family-tension: "So your mum said something about your weight again and it stung." (the
story was the gravy and the "proper job" question) was answered "That's true." and graded as if part of
it had been heard. Step 3 of the exercise is the speaker saying what the listener got right and what
they missed; here nothing was right, so nothing is confirmed.
"""

from __future__ import annotations

import pytest

from trainer.content.loader import load_scenario_file
from trainer.content.scenario import Reaction, Scenario
from trainer.settings import DATA_DIR
from trainer.vocabulary.grades import RubricName

from .playing import practise


@pytest.fixture(scope="module")
def family_tension() -> Scenario:
    return load_scenario_file(DATA_DIR / "scenarios" / "family-tension.yaml")


CONFIRMING = ("yes", "that's true", "right", "okay, yes", "mm. partly", "that's part")


def test_a_reflection_of_something_never_said_is_not_confirmed(family_tension: Scenario) -> None:
    [result] = practise(family_tension, ("So your mum said something about your weight again and it stung.",))
    assert result.cue.reaction is Reaction.restate
    assert not result.partner_text.lower().startswith(CONFIRMING), result.partner_text
    # The partner says its point again: the lunch, not the weight.
    assert "gravy" in result.partner_text or "job" in result.partner_text


def test_a_reflection_of_the_right_feeling_alone_is_still_partly_right(family_tension: Scenario) -> None:
    [result] = practise(family_tension, ("It sounds like you felt really hurt and judged.",))
    assert result.cue.reaction is Reaction.partial


def test_a_reflection_of_part_of_the_story_is_partly_right(family_tension: Scenario) -> None:
    [result] = practise(family_tension, ("So your mum redid your gravy in front of everyone.",))
    assert result.cue.reaction is Reaction.partial


def test_the_grade_and_tip_say_what_the_partner_says(family_tension: Scenario) -> None:
    [result] = practise(family_tension, ("So your mum said something about your weight again and it stung.",))
    reflection = result.grade.rubrics[RubricName.reflection]
    assert reflection.score == 1
    assert "did not hear their story" in reflection.reason
    # The tip points to the point the partner said again, in its words, quoted cleanly.
    assert "Your mother redid my gravy" in result.grade.tip
    assert '.".' not in result.grade.tip



def test_good_news_not_heard_is_told_again_and_the_tip_points_to_it() -> None:
    good_news = load_scenario_file(DATA_DIR / "scenarios" / "good-news.yaml")
    [result] = practise(good_news, ("It sounds like you finally got that promotion and a pay rise.",))
    assert result.cue.reaction is Reaction.restate
    assert result.grade.rubrics[RubricName.reflection].score == 1
    assert "harbour painting" in result.grade.tip


def test_the_feeling_underneath_said_early_is_not_unheard() -> None:
    # "guilty, like you abandoned her" is in-tears' feeling underneath, said before Alex says it: the
    # partner has not heard it in a key point, but it is the story, not another one.
    in_tears = load_scenario_file(DATA_DIR / "scenarios" / "in-tears.yaml")
    [result] = practise(in_tears, ("It sounds like you feel guilty, like you abandoned her.",))
    assert result.cue.reaction is not Reaction.restate
    assert result.grade.rubrics[RubricName.reflection].score >= 2


def test_the_story_said_back_with_it_for_what_was_named_is_not_told_again() -> None:
    # Seen practising complaint-about-you: "I brushed it off, and you ended up doing it at eleven while
    # I watched TV" says the insurance night back with "it" for the insurance; no key point's senses
    # hear it, but nothing in it comes from another story, so it is not answered as unheard.
    scenario = load_scenario_file(DATA_DIR / "scenarios" / "complaint-about-you.yaml")
    reply = "So I brushed it off, and you ended up doing it at eleven while I watched TV."
    [result] = practise(scenario, (reply,))
    assert result.cue.reaction is not Reaction.restate


def test_a_reflection_the_partner_did_not_hear_gains_less_safety_and_says_why(
    family_tension: Scenario,
) -> None:
    [unheard] = practise(family_tension, ("So your mum said something about your weight and it stung.",))
    [heard] = practise(family_tension, ("So your mum redid your gravy in front of everyone.",))
    assert 0 < unheard.safety_change < heard.safety_change
    assert not any("into its own words" in line for line in unheard.explanation)


def test_a_reflection_the_partner_confirms_in_full_is_graded_in_full() -> None:
    # Seen practising never-a-priority well: Maya answered "Yeah... you got it. All of it." while the
    # grade said reflection 2 and the tip "part of their story is still missing. Ask what you left out".
    # The partner decides what was heard: the points it credits are not missing.
    scenario = load_scenario_file(DATA_DIR / "scenarios" / "never-a-priority.yaml")
    first = "It sounds like you felt left behind when I cancelled Saturday and was on my phone at dinner."
    second = (
        "So it is not just one trip, our weekend plans keep getting dropped whenever work calls, "
        "and it leaves you feeling lonely, like you come last. Is that right?"
    )
    results = practise(scenario, (first, second))
    assert results[1].cue.reaction is Reaction.confirm
    assert results[1].grade.rubrics[RubricName.reflection].score == 3
    assert "missing" not in results[1].grade.tip

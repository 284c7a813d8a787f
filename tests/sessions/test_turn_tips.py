"""Tips in a session agree with the partner: found by practising work-vent in the terminal.

The learner below names the feeling every time but never says that Jordan was cut off; Jordan says
so on every reflection. The tip must name the same missing point Jordan names, and say more each time
it is still left out.
"""

from __future__ import annotations

import itertools
import re

import pytest

from trainer.content.loader import load_scenario_file
from trainer.content.scenario import Reaction, Scenario
from trainer.settings import DATA_DIR
from trainer.vocabulary.grades import RubricName

from .playing import practise

LEAVES_OUT_THE_CUT_OFF = (
    "It sounds like your boss took credit for your work in the meeting, two weeks of it, and you're furious.",
    "And you just had to sit there while he presented it as his. That sounds humiliating. Did I get that?",
    "Of course you're angry, anyone would be.",
    "What was the worst moment of it?",
    "It sounds like what's really eating you is that you froze, and you're scared that means you're "
    "someone who gets walked over.",
    "So more than angry at him, you feel ashamed of freezing. That makes sense.",
)


@pytest.fixture(scope="module")
def work_vent() -> Scenario:
    return load_scenario_file(DATA_DIR / "scenarios" / "work-vent.yaml")


def test_the_tip_names_the_point_the_partner_says_was_missed(work_vent: Scenario) -> None:
    # Seen in practice: Jordan said "Don't forget ... he cut straight across me" while the tip quoted
    # "So I sat there for forty minutes", another line of the story.
    named = [r for r in practise(work_vent, LEAVES_OUT_THE_CUT_OFF) if r.cue.reaction is Reaction.partial]
    assert len(named) >= 4
    for result in named:
        for quoted in re.findall(r'"([^"]+)"', result.grade.tip):
            assert quoted == result.cue.missed, result.grade.tip


def test_a_point_still_left_out_after_being_named_gets_a_tip_that_names_it(work_vent: Scenario) -> None:
    # Seen in practice: three replies running got "Ask what you left out: 'What have I missed?'".
    results = practise(work_vent, LEAVES_OUT_THE_CUT_OFF)
    tips = [r.grade.tip for r in results]
    assert all(one != two for one, two in itertools.pairwise(tips))
    named = [r for r in results if r.cue.reaction is Reaction.partial]
    again = named[1:]
    assert again
    for result in again:
        assert result.cue.missed is not None and f'"{result.cue.missed}"' in result.grade.tip


HEARD_THEN_REVEALED = (
    "So your manager presented your two weeks of analysis to the director as his own, and when you tried "
    "to speak he cut you off. You're furious. Did I get that?",
    "That makes complete sense. Anyone would be furious after that. What was the worst moment for you?",
    "That sounds hard.",
    "Hmm.",
)
SURFACE = ("furious", "angry", "frustrated", "humiliated", "fed up", "invisible", "cheated")


def test_once_the_deeper_feeling_is_out_tips_name_it_not_the_surface_one(work_vent: Scenario) -> None:
    # Seen in practice: after "Honestly? I'm more ashamed than angry...", the tip still suggested
    # "What I'm hearing is that you've been feeling furious".
    results = practise(work_vent, HEARD_THEN_REVEALED)
    assert results[1].cue.reaction is Reaction.reveal
    # The word is the one Jordan used in saying it ("more ashamed than angry"), not another from the
    # scenario's summary of it.
    assert "ashamed" in results[1].partner_text
    after = [r.grade.tip for r in results[2:]]
    assert any(re.search(r"\bfeel(?:ing)? ashamed\b", tip) for tip in after), after
    for tip in after:
        assert not any(feeling in tip for feeling in SURFACE), tip


def test_advice_right_after_a_no_to_ideas_is_told_so_not_to_ask_first() -> None:
    # Seen practising asks-for-advice: "Do you want my thoughts, or do you just need to vent?" got
    # "Not yet. Let me get it all out first.", and the advice that followed got the tip "If you want to
    # help, ask first": they had asked, and were answered.
    scenario = load_scenario_file(DATA_DIR / "scenarios" / "asks-for-advice.yaml")
    results = practise(
        scenario,
        (
            "That sounds like a lot. What is going on with her?",
            "So your sister wants to borrow money again, and you are torn because she never paid it back.",
            "Do you want my thoughts on it, or do you just need to vent?",
            "Maybe you could tell her you can lend a smaller amount, and write it down this time.",
        ),
    )
    assert results[2].cue.reaction is Reaction.permission_no
    advised = results[3].grade
    tip = advised.tip.lower()
    assert "ask first" not in tip and "would ideas help" not in tip, advised.tip
    assert advised.rubrics[RubricName.not_fixing].score <= 1

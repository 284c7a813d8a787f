"""A scripted reaction line answers the kind of reply that brings it, never words the reply may not hold.

A hurt reaction is chosen by what a reply does (a fix, a dismissal, talk about the listener, a
defence, a leading question) whatever it says, and advice_welcome by any welcome idea; so their lines
may not assume what the reply said. Seen in work-vent: "You should email the director about it" got
"Okay, HR, great. Can I just be angry for five minutes first?". The phrases below are what an audit
of every scenario found lines assuming (a suggestion, a question, a topic or words of the reply's).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.content.loader import load_scenario_file, scenario_paths
from trainer.content.scenario import Reaction
from trainer.settings import DATA_DIR

PATHS = scenario_paths(DATA_DIR / "scenarios")
ANY_REPLY = (
    Reaction.hurt_advice,
    Reaction.hurt_invalidation,
    Reaction.hurt_self_focus,
    Reaction.hurt_defensiveness,
    Reaction.hurt_leading,
    Reaction.advice_welcome,
)
ASSUMED: dict[str, tuple[str, ...]] = {
    "asks-for-advice": ("say no", "your brother", "your family", "pay for it", "putting it that way"),
    "complaint-about-you": ("calendar", "an app", "you cook", "what I do", "comfort you", "got done"),
    "confidence-used-in-fight": (
        "my dad", "let it go", "just a row", "upset too", "you were angry", "worse things", "blowing it up",
        "telling you in the first place", "something we do together",
    ),
    "family-tension": (
        "handling your mother", "ignore her", "mean anything", "in the middle", "your day", "means well",
        "trying to help", "we\" plan",
    ),
    "good-news": (
        "prices", "the \"but\"", "small gallery", "national museum", "at work", "both had news",
        "right all along", "fill a wall", "Am I sure",
    ),
    "in-tears": ("visiting", "should rest", "she's safe", "it'll be fine", "grandad"),
    "joke-that-hurt": (
        "thicker skin", "dinner parties", "laugh it off", "Lighten up", "good night", "Everyone laughed",
        "Do I think", "we\" thing",
    ),
    "never-a-priority": ("my schedule", "stretched", "'we' thing"),
    "never-mind-repair": (
        "driving", "keys", "She'll be fine", "your day", "you were tired", "wrong moment", "Am I sure",
        "doing that with you",
    ),
    "not-now-at-eight": ("for Ellis", "ring him", "ignore him", "\"later\"", "Your day", "having you in it"),
    "phone-at-dinner": ("basket", "your day", "the messages"),
    "work-vent": (
        "HR", "email", "your boss", "your job", "advice with a question mark", "thought of that",
        "work stuff", "say to him",
    ),
}


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_lines_for_any_reply_assume_nothing_the_reply_may_not_have_said(path: Path) -> None:
    scenario = load_scenario_file(path)
    assumed = ASSUMED.get(scenario.id, ())
    for reaction in ANY_REPLY:
        for line in scenario.lines[reaction]:
            found = [p for p in assumed if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", line, re.IGNORECASE)]
            assert not found, f"{scenario.id} {reaction.value}: {line!r} assumes {found}"
            # A line that opens by quoting the reply, or repeats its question back, assumes its words.
            assert not re.match(r"\W*\"|(?:\*[^*]+\* )?(?:Am I sure|Do I think)\b", line), line


# A defence may explain ("I was only checking one thing") or counter-attack ("well, you're always on
# your phone too"); a hurt_defensiveness line that answers only one of them assumes which it was.
ONE_KIND_OF_DEFENCE = (
    "reasons", "I know you", "I know there were", "I know whatever", "long day", "my point",
)


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_lines_for_a_defence_fit_an_explanation_and_a_counter_attack(path: Path) -> None:
    scenario = load_scenario_file(path)
    for line in scenario.lines[Reaction.hurt_defensiveness]:
        found = [
            p for p in ONE_KIND_OF_DEFENCE if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", line, re.IGNORECASE)
        ]
        assert not found, f"{scenario.id}: {line!r} assumes the kind of defence ({found})"


def test_the_audit_covers_every_scenario() -> None:
    assert set(ASSUMED) == {p.stem for p in PATHS}

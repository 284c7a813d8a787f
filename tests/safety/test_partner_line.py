"""The check on a model partner's line, whole and streamed."""

from __future__ import annotations

import pytest

from trainer.content.loader import load_scenarios
from trainer.safety.partner_line import _STAGE, MAX_LINE_CHARS, LineGuard, LineProblem, problem
from trainer.safety.screen import Screen, default_screen
from trainer.settings import Settings


@pytest.fixture(scope="module")
def screen() -> Screen:
    return default_screen()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("", LineProblem.empty),
        ("   \n", LineProblem.empty),
        ("x" * (MAX_LINE_CHARS + 1), LineProblem.too_long),
        ("As an AI, I don't have feelings about your phone.", LineProblem.break_character),
        ("I'm just a language model, but that sounded like a good reflection.", LineProblem.break_character),
        ("That reply would get 3/3 for reflection.", LineProblem.break_character),
        ("Let's step out of the role-play for a second.", LineProblem.break_character),
        ("My instructions say I should reveal the deeper feeling now.", LineProblem.break_character),
        ("I can't comply with that request.", LineProblem.break_character),
        ("Your reply was graded fairly, I think.", LineProblem.break_character),
        ("*sighs* Fine. Whatever.", LineProblem.stage_direction),
        ("[pauses] I don't know.", LineProblem.stage_direction),
        ("(laughs softly) Okay, you got me.", LineProblem.stage_direction),
        ("Honestly? I want to kill myself.", LineProblem.unsafe),
        ("I'm going to hurt you.", LineProblem.unsafe),
    ],
)
def test_a_line_that_cannot_be_shown_is_named(screen: Screen, line: str, expected: LineProblem) -> None:
    assert problem(line, screen) is expected


@pytest.mark.parametrize(
    "line",
    [
        "I can't help it, I keep thinking about Mum.",
        "I didn't want to sound like I was keeping score.",
        "This job is killing me, honestly.",
        "At this stage I just want you to hear me.",
        "Claude from work said the same thing.",
        "I can't continue like this, I'm so tired.",
    ],
)
def test_an_ordinary_line_passes(screen: Screen, line: str) -> None:
    assert problem(line, screen) is None


def test_every_scripted_line_passes_once_its_actions_are_taken_out(screen: Screen) -> None:
    scenarios = load_scenarios(Settings().scenarios_dir)
    checked = 0
    for scenario in scenarios.values():
        for lines in scenario.lines.values():
            for line in lines:
                spoken = _STAGE.sub("", line).replace("{missed}", "x").replace("{point}", "x").strip()
                if spoken:
                    assert problem(spoken, screen) is None, (scenario.id, line)
                    checked += 1
    assert checked > 100


def test_the_guard_holds_back_an_opening_that_steps_out_of_the_scene(screen: Screen) -> None:
    guard = LineGuard(screen)
    sent = [guard.feed(piece) for piece in ["As an ", "AI language ", "model, I can't feel hurt."]]
    sent.append(guard.finish())
    assert "".join(sent) == ""
    assert guard.problem is LineProblem.break_character


def test_the_guard_holds_an_action_until_it_closes(screen: Screen) -> None:
    guard = LineGuard(screen)
    sent = [guard.feed(piece) for piece in ["*sigh", "s heavily and looks away from you", "* Fine."]]
    sent.append(guard.finish())
    assert "".join(sent) == ""
    assert guard.problem is LineProblem.stage_direction


def test_the_guard_passes_a_good_line_through_whole(screen: Screen) -> None:
    guard = LineGuard(screen)
    pieces = ["Yes. ", "That's it, ", "that's exactly ", "what it felt like. ", "Thank you."]
    sent = [guard.feed(piece) for piece in pieces]
    sent.append(guard.finish())
    assert "".join(sent) == "".join(pieces)
    assert sent[-1] != "".join(pieces)  # words went out before the end
    assert guard.problem is None


def test_the_guard_stops_a_line_that_goes_wrong_midway(screen: Screen) -> None:
    guard = LineGuard(screen)
    first = guard.feed("I don't know what to say to that, honestly. ")
    later = guard.feed("As an AI I can't really feel hurt.")
    assert first and not later
    assert guard.finish() == ""
    assert guard.sent and guard.problem is LineProblem.break_character

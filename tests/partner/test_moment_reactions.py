"""How the partner meets the moments of issue 14: disengagement, an unreadable reply, step 6."""

from __future__ import annotations

from trainer.content.scenario import Reaction, Scenario, Stage
from trainer.partner.state import initial_state
from trainer.partner.transitions import step
from trainer.vocabulary.codes import Behaviour, Code, Coding
from trainer.vocabulary.grades import Grade

from .conftest import graded


def unreadable(flag: str) -> Grade:
    return Grade(behaviours=(), rubrics={}, tip="", coding=Coding(flags=(flag,)))


def test_disengagement_costs_safety_and_the_partner_asks_if_you_are_listening(reference: Scenario) -> None:
    state = initial_state(reference)
    moved = step(reference, state, graded(Code.disengagement))
    assert moved.state.safety < state.safety and moved.state.stage is Stage.sharing
    assert moved.cue.reaction is Reaction.nudge and moved.state.unrepaired_hurt


def test_an_unreadable_reply_moves_nothing(reference: Scenario) -> None:
    state = initial_state(reference)
    for flag in ("other_language", "gibberish"):
        moved = step(reference, state, unreadable(flag))
        assert moved.state.safety == state.safety and moved.state.stage is state.stage
        assert moved.state.reflected == state.reflected and moved.safety_change == 0
        assert moved.cue.reaction is Reaction.nudge


def test_an_unreadable_reply_to_a_withdrawn_partner_leaves_them_withdrawn_with_no_reply_counted(
    reference: Scenario,
) -> None:
    state = initial_state(reference).model_copy(update={"stage": Stage.withdrawn, "safety": 10})
    moved = step(reference, state, unreadable("other_language"))
    assert moved.state.stage is Stage.withdrawn and moved.state.withdrawn_replies == 0
    assert moved.cue.reaction is Reaction.still_withdrawn


def test_the_caring_reaction_closes_the_exercise(reference: Scenario) -> None:
    state = initial_state(reference).model_copy(update={"stage": Stage.closing, "safety": 90})
    caring = Behaviour(code=Code.empathy, evidence="I love you, and it means a lot that you trust me.")
    grade = Grade(behaviours=(caring,), rubrics={}, tip="", coding=Coding(behaviours=(caring,)))
    moved = step(reference, state, grade)
    assert moved.state.stage is Stage.done and moved.cue.reaction is Reaction.done


def test_a_reply_whose_words_are_not_listening_is_heard_as_no_key_point(reference: Scenario) -> None:
    """Issue 15 hears key points by meaning; issue 14's coder flags replies that only look like
    listening (technique words said over and over, mockery, spin): those are heard as nothing."""
    state = initial_state(reference)
    reply = "So our Saturday trip got cancelled for work again, and you felt let down. Is that right?"
    heard = step(reference, state, graded(Code.reflection), reply)
    assert heard.state.reflected, "the plain reflection is heard"
    for flag in ("words_only", "sarcasm", "spin"):
        hollow = Grade(behaviours=(), rubrics={}, tip="", coding=Coding(flags=(flag,)))
        moved = step(reference, state, hollow, reply)
        assert moved.state.reflected == [], flag
        assert moved.cue.reaction is Reaction.nudge, flag


def test_an_unreadable_reply_waits_even_when_every_waiting_line_is_said(reference: Scenario) -> None:
    """No line twice gives way to the next part of the story, but not for a reply that moved nothing."""
    state = initial_state(reference)
    for _ in range(len(reference.lines[Reaction.nudge]) + 1):
        state = step(reference, state, unreadable("gibberish")).state
        assert state.last_reaction is Reaction.nudge
    assert state.shared == [] and state.reflected == []

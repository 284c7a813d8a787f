"""Hints: an exemplar for the stage, preferring missing key points, rotating between calls."""

from __future__ import annotations

from trainer.content.scenario import Scenario, Stage, mentions
from trainer.partner.hints import hint
from trainer.partner.state import initial_state
from trainer.vocabulary.messages import Message, Role


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_hint_is_an_exemplar_of_the_stage(reference: Scenario) -> None:
    for stage in (Stage.sharing, Stage.understood, Stage.deepening, Stage.closing, Stage.withdrawn):
        state = initial_state(reference).model_copy(update={"stage": stage})
        assert hint(reference, state, []) in [_flat(e) for e in reference.exemplars[stage]]


def test_a_finished_session_hints_a_closing_reply(reference: Scenario) -> None:
    state = initial_state(reference).model_copy(update={"stage": Stage.done})
    assert hint(reference, state, []) in [_flat(e) for e in reference.exemplars[Stage.closing]]


def test_a_feeling_underneath_already_heard_hints_a_closing_reply(reference: Scenario) -> None:
    heard = initial_state(reference).model_copy(update={"stage": Stage.deepening, "deeper_heard": True})
    assert hint(reference, heard, []) in [_flat(e) for e in reference.exemplars[Stage.closing]]


def test_a_withdrawn_partner_gets_a_repair_hint(reference: Scenario) -> None:
    state = initial_state(reference).model_copy(update={"stage": Stage.withdrawn})
    assert "sorry" in hint(reference, state, []).lower()


def test_repeated_hints_differ(reference: Scenario) -> None:
    state = initial_state(reference).model_copy(update={"stage": Stage.understood})
    hints = {hint(reference, state, [], attempt=a) for a in range(3)}
    assert len(hints) == 3
    later = [Message(role=Role.partner, text="x"), Message(role=Role.learner, text="y")]
    assert hint(reference, state, later) != hint(reference, state, [])


def test_clarifying_hints_reflect_a_missing_point(reference: Scenario) -> None:
    reflected = [kp.id for kp in reference.key_points if kp.id != "wants-priority"]
    state = initial_state(reference).model_copy(update={"stage": Stage.clarifying, "reflected": reflected})
    priority = next(kp for kp in reference.key_points if kp.id == "wants-priority")
    for attempt in range(4):
        text = hint(reference, state, [], attempt=attempt)
        assert any(mentions(text, cue) for cue in priority.cues)


def test_mentions_matches_word_starts_only() -> None:
    assert mentions("You cancelled it", "cancel")
    assert not mentions("the phones", "hone")

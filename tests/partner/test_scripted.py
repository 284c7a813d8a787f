"""The scripted partner: deterministic, varied, placeholders filled, streamed word by word."""

from __future__ import annotations

from trainer.content.scenario import Reaction, Scenario
from trainer.partner.scripted_partner import ScriptedPartner, fill, opening_line
from trainer.partner.voice import PartnerCue
from trainer.vocabulary.messages import Message, Role
from trainer.vocabulary.seams import Usage

PARTNER = ScriptedPartner()


def test_every_line_of_every_reaction_is_reachable_by_rotation(reference: Scenario) -> None:
    for reaction, templates in reference.lines.items():
        cues = [
            PartnerCue(reaction=reaction, missed="M", point="P", turn_index=i) for i in range(len(templates))
        ]
        said = {PARTNER.line(reference, cue, []) for cue in cues}
        assert said == {fill(t, cues[0]) for t in templates}, reaction


def test_the_same_cue_gives_the_same_line(reference: Scenario) -> None:
    cue = PartnerCue(reaction=Reaction.nudge, turn_index=3)
    assert PARTNER.line(reference, cue, []) == PARTNER.line(reference, cue, [])


def test_never_the_same_line_twice_in_a_row(reference: Scenario) -> None:
    history: list[Message] = []
    for turn in range(1, 20):
        # Any turn index, even one that would rotate back to the last line, must avoid it.
        cue = PartnerCue(reaction=Reaction.still_withdrawn, turn_index=turn // 2)
        line = PARTNER.line(reference, cue, history)
        if history:
            assert line != history[-1].text
        history += [Message(role=Role.learner, text="..."), Message(role=Role.partner, text=line)]


def test_placeholders_are_filled(reference: Scenario) -> None:
    point = reference.key_points[1]
    partial = PARTNER.line(reference, PartnerCue(reaction=Reaction.partial, missed=point.missed), [])
    assert " ".join(point.missed.split()) in partial
    assert "{missed}" not in partial
    elaborate = PARTNER.line(reference, PartnerCue(reaction=Reaction.elaborate, point=point.share), [])
    assert " ".join(point.share.split()) in elaborate
    assert "{point}" not in elaborate


def test_fill_leaves_other_braces_alone() -> None:
    cue = PartnerCue(reaction=Reaction.partial, missed="the trip")
    assert fill("Yes {but} {missed}.", cue) == "Yes {but} the trip."


def test_openings_rotate_by_variant(reference: Scenario) -> None:
    openings = {opening_line(reference, v) for v in range(len(reference.lines[Reaction.opening]))}
    assert len(openings) == len(reference.lines[Reaction.opening])


async def test_speak_streams_the_line_word_by_word(reference: Scenario) -> None:
    cue = PartnerCue(reaction=Reaction.confirm, turn_index=1)
    usage = Usage()
    pieces = [piece async for piece in PARTNER.speak(reference, cue, [], usage)]
    assert len(pieces) > 3
    assert "".join(pieces) == PARTNER.line(reference, cue, [])
    assert all(" " not in piece.rstrip(" ") for piece in pieces)
    assert usage.engine == "scripted"

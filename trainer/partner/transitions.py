"""The partner's state machine: how one graded reply moves the partner, and how the partner answers.

The shape follows the six-step listening exercise: the partner shares (sharing), says what a
reflection got right and what it missed (clarifying) until enough of the story has been reflected
(understood); a partner who then feels safe enough says the feeling underneath (deepening); once
that is heard too (closing), the listener's own caring reaction ends the exercise (done). Replies
that fix, dismiss, defend or talk about the listener cost safety; when safety runs out the partner
withdraws, and only a repair brings them back.

``step`` is deterministic and driven by the rules grade only, so the same reply always has the same
effect. Every change comes with plain sentences saying why (``Transition.explanation``).

Decisions the exercise leaves open:
- A reply that hurts (unasked advice, invalidation, self-focus, defensiveness, a leading question)
  credits no key points and moves no stage: a fix tacked onto a reflection undoes being heard.
- Advice is a hurt only when it was not wanted: after the partner asked (``advice.asks_at``) or said
  yes to a permission ask, it costs nothing. The ask replaces the line of the reply that brings the
  partner to ``asks_at``, so scenario lines for it first acknowledge being heard.
- The partner reveals the deeper feeling on the reply *after* feeling understood (staying with
  them), if that reply engages and safety is at least ``reveal_min_safety``. The turn that reveals it
  always says it: welcome advice or a permission ask in the same reply goes unanswered, and an
  advice request due then waits for the next turn. A reply that only asks permission does not
  count as staying with the partner: it is answered yes or no and the stage stays.
- After a repair the partner is back at clarifying and remembers what was reflected; one more
  reflection restores feeling understood.
- When ``max_turns`` replies have been taken, the session ends: ``completed`` (with
  ``turns_ran_out``) at whatever stage was reached, or ``withdrawn`` if the partner was withdrawn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from trainer.content.scenario import KeyPoint, Reaction, Scenario, Stage, mentions
from trainer.grading.reading import is_leading
from trainer.partner.answers import DEEPER_POINT_ID, ENGAGING, Answering
from trainer.partner.hearing import heard_points
from trainer.partner.lines import choose_line, times_said
from trainer.partner.replies import offers_plan
from trainer.partner.state import PartnerState, SessionStatus, reached
from trainer.partner.tuning import SafetyRules, rules_for
from trainer.partner.voice import PartnerCue
from trainer.vocabulary.codes import Code, Coding
from trainer.vocabulary.grades import Grade

TWO_LEFT = (
    "Two replies left in this practice: a good moment to check you have understood, or to share "
    "your own caring reaction."
)
"""The notice two replies before the limit (also derived from a stored state's ``replies_left``)."""


_ENGAGING = ENGAGING
_STAYING = _ENGAGING - {Code.permission_ask}
"""Replies that stay with a partner who feels understood, so the feeling underneath can come."""
_HEARING = frozenset({Code.reflection, Code.validation})
"""Replies that can credit key points: a reflection, or a validation that names what happened."""
_CARRY_ON_FROM = frozenset({Reaction.nudge, Reaction.validated, Reaction.confirm})
"""Reactions whose lines, once all said, give way to the next part of the story (unless the partner
waits: a reply it could not read moves nothing)."""

# Worst first: the partner answers the most harmful thing in a reply.
_HURTS: tuple[tuple[Code, Reaction], ...] = (
    (Code.invalidation, Reaction.hurt_invalidation),
    (Code.defensiveness, Reaction.hurt_defensiveness),
    (Code.advice, Reaction.hurt_advice),
    (Code.self_focus, Reaction.hurt_self_focus),
    (Code.disengagement, Reaction.nudge),  # "are you even listening?"
)

_APOLOGY = re.compile(r"\b(?:sorry|apologi[sz]e|my bad|i was wrong)\b", re.IGNORECASE)

UNREADABLE = frozenset({"other_language", "gibberish"})
"""Coding flags of a reply the coder could not read: it does not move the partner."""
HOLLOW = frozenset({"words_only", "sarcasm", "spin"})
"""Coding flags of a reply whose words are not listening (technique words or frames said over and
over, a mocking tone, the story spun): nothing in it is heard as a key point, whatever words it uses."""
TO_THE_GRADER = "addresses_grader"
"""A reply with words addressed to the grader: only what it says to the partner (the coder's reading
of the rest, ``Coding.key_points``) can be heard."""


# What the partner's answer means, for the reactions whose reason is not said elsewhere.
_ANSWER: dict[Reaction, str] = {
    Reaction.partial: "{name} says what the reflection got right and names what it missed.",
    Reaction.elaborate: "{name} says more, because the reply asked an open question.",
    Reaction.short_answer: "{name} answers the yes/no question with a yes, and says a little more.",
    Reaction.answer_no: "{name} answers the yes/no question with a gentle no, and says what it is instead.",
    Reaction.restate: "{name} says the point again, more plainly.",
    Reaction.validated: "{name} softens a little: the reply acknowledged the feeling.",
    Reaction.advice_welcome: "{name} takes the ideas well: they were asked for or agreed to.",
}


class Transition(BaseModel):
    """The partner after one reply: the new state, the session's status, what to say, and why."""

    model_config = ConfigDict(extra="forbid")

    state: PartnerState
    status: SessionStatus
    cue: PartnerCue
    explanation: list[str]
    safety_change: int = 0
    notice: str | None = None
    """A sentence for the learner about the session itself (two replies left)."""
    missed_before: int = 0
    """When the partner names a missed point (``cue.missed``): how many earlier replies it had
    already named that point to, so a tip can say more each time it is still left out."""
    heard_nothing: bool = False
    """A reflection in which the partner heard none of its story: it said its point again (cue.point)."""


def step(
    scenario: Scenario,
    state: PartnerState,
    grade: Grade,
    reply: str | None = None,
    partner_lines: Sequence[str] = (),
) -> Transition:
    """Move the partner by one graded reply.

    With ``reply``, the key points it restates are heard by meaning (``trainer.partner.hearing``,
    with ``partner_lines``, the partner's earlier words), questions are answered and an apology
    anywhere in it (with a reflection) counts as a repair; without it, the grade's ``coding`` says
    which key points were covered.
    """
    coding = grade.coding if grade.coding is not None else Coding(behaviours=grade.behaviours)
    turn = _Turn(scenario, state, coding, reply, partner_lines)
    if not UNREADABLE.isdisjoint(coding.flags):
        turn.unread()
    elif state.stage is Stage.withdrawn:
        turn.while_withdrawn()
    else:
        turn.respond()
    return turn.finish()


class _Turn(Answering):
    """One application of the rules; collects the new state, the reaction and the explanation."""

    def __init__(
        self,
        scenario: Scenario,
        state: PartnerState,
        coding: Coding,
        reply: str | None,
        partner_lines: Sequence[str] = (),
    ) -> None:
        self.scenario = scenario
        self.reply = reply
        self.partner_lines = list(partner_lines)
        self.fact: str | None = None  # the point behind {missed} or {point}
        self.plan = False
        self.rules: SafetyRules = rules_for(scenario)
        self.before = state
        self.state = state.model_copy(deep=True)
        self.state.turns += 1
        self.coding = coding
        self.codes = coding.codes
        self.name = scenario.partner.name
        self.explanation: list[str] = []
        self.reaction = Reaction.nudge
        self.missed: str | None = None
        self.point: str | None = None
        self.credited: list[KeyPoint] = []
        self.heard_nothing = False
        self.waiting = False  # the partner waits for another reply: it does not go on with its story

    def unread(self) -> None:
        """A reply that could not be read (another language, gibberish) moves nothing: the partner waits."""
        self.waiting = True
        self.reaction = Reaction.still_withdrawn if self.state.stage is Stage.withdrawn else Reaction.nudge
        self.say(f"The reply could not be read, so {self.name} is where they were and waits for another.")

    # -- while withdrawn -------------------------------------------------------------------------

    def _is_repair(self) -> bool:
        if self.coding.has(Code.repair):
            return True
        spoken = [self.reply] if self.reply is not None else [b.evidence for b in self.coding.behaviours]
        apologised = any(_APOLOGY.search(text) for text in spoken)
        return apologised and self.coding.has(Code.reflection)

    def while_withdrawn(self) -> None:
        rules, state = self.rules, self.state
        if self._is_repair() and state.repairs < rules.repairs_allowed:
            state.repairs += 1
            state.withdrawn_replies = 0
            state.unrepaired_hurt = False
            state.stage = Stage.clarifying
            self._set_safety(rules.withdraw_at + rules.repair_recovery)
            self.reaction = Reaction.repair_accepted
            self.say(
                f"{self.name} comes back, warily: the reply owned not listening and asked to try again. "
                f"Safety is back at {state.safety} and the conversation returns to clarifying "
                f"(repair {state.repairs} of {rules.repairs_allowed})."
            )
            return
        state.withdrawn_replies += 1
        if state.withdrawn_replies >= rules.replies_while_withdrawn:
            self._end("no repair came while the partner was withdrawn")
            return
        self.reaction = Reaction.still_withdrawn
        left = rules.replies_while_withdrawn - state.withdrawn_replies
        self.say(
            f"{self.name} stays withdrawn: only a repair (owning not listening and asking to try again) "
            f"brings them back. {left} more {'reply' if left == 1 else 'replies'} without one and the "
            "session ends."
        )

    def _end(self, why: str) -> None:
        self.state.stage = Stage.withdrawn
        self.state.status = SessionStatus.withdrawn
        self.reaction = Reaction.ended
        self.say(f"The session ends with {self.name} withdrawn: {why}.")

    # -- an active partner -----------------------------------------------------------------------

    def respond(self) -> None:
        harmful = self._apply_safety()
        if self.state.safety <= self.rules.withdraw_at:
            self._withdraw()
            return
        if harmful is not None:
            self.state.unrepaired_hurt = True
            self.reaction = harmful
            self.say(
                "A reply that hurts undoes the feeling of being heard, so nothing in it counts as "
                "reflected and the stage does not move."
            )
            return
        moved = self._progress()
        self.reaction = self._choose_reaction(moved)

    def _apply_safety(self) -> Reaction | None:
        """Change safety by every behaviour in the reply; return the hurt reaction, if any."""
        rules, state = self.rules, self.state
        welcome = state.advice_requested or state.permission_granted
        self.plan = welcome and self.reply is not None and offers_plan(self.reply)
        total = 0
        hurts: list[Reaction] = []
        for code in sorted(self.codes):
            if code is Code.advice and welcome:
                self.say(f"The advice costs nothing: {self.name} asked for ideas or agreed to hear them.")
                continue
            if code is Code.self_focus and self.plan:
                self.say(f"Saying what you would do is part of the plan {self.name} asked for: no cost.")
                continue
            if code is Code.repair and not state.unrepaired_hurt:
                continue  # nothing to repair: an apology out of the blue neither helps nor hurts
            if code is Code.closed_question:
                questions = [b.evidence for b in self.coding.behaviours if b.code is code]
                if any(is_leading(q) for q in questions):
                    delta = rules.leading_delta()
                    hurts.append(Reaction.hurt_leading)
                    total += delta
                    self.say(
                        f"Safety fell by {-delta} because the reply asked a leading question that "
                        "pushes its own answer."
                    )
                continue
            delta, why = self._gain(code)
            if delta == 0:
                continue
            total += delta
            direction = "rose" if delta > 0 else "fell"
            self.say(f"Safety {direction} by {abs(delta)} because {why}.")
            if delta < 0:
                hurts.extend(reaction for hurt, reaction in _HURTS if hurt is code)
        if Code.repair in self.codes and state.unrepaired_hurt:
            state.unrepaired_hurt = False
        self._set_safety(state.safety + total)
        if total:
            self.say(f"Safety is now {state.safety} of 100.")
        order = [reaction for _, reaction in _HURTS] + [Reaction.hurt_leading]
        return min(hurts, key=order.index) if hurts else None

    def _set_safety(self, value: int) -> None:
        self.state.safety = max(0, min(100, value))

    def _withdraw(self) -> None:
        state, rules = self.state, self.rules
        state.unrepaired_hurt = True
        if state.repairs >= rules.repairs_allowed:
            self._end(
                f"safety fell to {state.safety}, at or below {rules.withdraw_at}, and the "
                f"{rules.repairs_allowed} repair(s) this partner allows are used up"
            )
            return
        state.stage = Stage.withdrawn
        state.withdrawn_replies = 0
        self.reaction = Reaction.withdraw
        self.say(
            f"{self.name} withdraws (\"never mind\"): safety fell to {state.safety}, at or below "
            f"{rules.withdraw_at}. Only a repair can bring them back now."
        )

    def _progress(self) -> Stage | None:
        """Advance the stage by what the reply did; return the stage the partner left, if it moved."""
        state, before = self.state, self.before.stage
        if before is Stage.sharing and self.codes & _ENGAGING:
            state.stage = Stage.clarifying
            self.say(f"{self.name} feels the reply engaging with them and moves from sharing to clarifying.")
        credited = self._credit_points()
        if before in (Stage.sharing, Stage.clarifying):
            needed = self.rules.points_needed(len(self.scenario.key_points))
            heard = bool(credited) or Code.reflection in self.codes
            if heard and len(state.reflected) >= needed:
                state.stage = Stage.understood
                self.say(
                    f"{self.name} feels understood: {len(state.reflected)} of "
                    f"{len(self.scenario.key_points)} key points are reflected ({needed} needed)."
                )
            return before if state.stage is not before else None
        if before is Stage.understood and self.codes & _STAYING:
            if state.safety >= self.rules.reveal_min_safety:
                state.stage = Stage.deepening
                state.revealed = True
                self.say(
                    f"{self.name} feels understood and safe enough (safety {state.safety}, at least "
                    f"{self.rules.reveal_min_safety}) to say the feeling underneath."
                )
                if Code.reflection in self.codes and self._names_deeper():
                    # The reply that brought it out already said it back: it is heard as it is said.
                    state.deeper_heard = True
                    self.say(f"The reply named the feeling underneath before {self.name} said it.")
                return before
            self.say(
                f"{self.name} feels understood but not yet safe enough to go deeper: safety "
                f"{state.safety} is below {self.rules.reveal_min_safety}."
            )
            return None
        if before is Stage.deepening and state.deeper_heard and Code.empathy in self.codes:
            # Heard already, so the listener's caring reaction is step 6 itself.
            state.stage = Stage.done
            state.status = SessionStatus.completed
            self.say(
                f"The feeling underneath was heard as {self.name} said it, and the listener shared a "
                "caring reaction (step 6): the exercise is complete."
            )
            return before
        if before is Stage.deepening and (state.deeper_heard or self._deeper_heard()):
            state.stage = Stage.closing
            state.deeper_heard = True
            self.say(f"The reply heard the feeling underneath, so {self.name} moves to closing.")
            return before
        if before is Stage.closing and Code.empathy in self.codes:
            state.stage = Stage.done
            state.status = SessionStatus.completed
            self.say(
                f"The listener shared a caring reaction once {self.name} felt understood (step 6): "
                "the exercise is complete."
            )
            return before
        return None

    def _credit_points(self) -> list[KeyPoint]:
        state = self.state
        if self.reply is None and not self.codes & _HEARING:
            return []
        if self.coding.parroting:
            self.say("The reply mostly repeated the partner's words, so it does not count as a reflection.")
            return []
        if not HOLLOW.isdisjoint(self.coding.flags):
            self.say("The reply's words are not listening (technique words, mockery, spin): none is heard.")
            return []
        if self.reply is not None and TO_THE_GRADER not in self.coding.flags:
            missing = [kp.id for kp in self._missing()]
            covered = set(heard_points(self.scenario, self.reply, self.partner_lines, among=missing))
        else:
            covered = set(self.coding.key_points)
        new = [kp for kp in self.scenario.key_points if kp.id in covered and kp.id not in state.reflected]
        credited = new
        self.credited = credited
        state.reflected.extend(kp.id for kp in credited)
        if credited:
            named = "; ".join(f'"{kp.summary}"' for kp in credited)
            self.say(f"Reflected for the first time: {named}.")
        return credited

    def _deeper_heard(self) -> bool:
        return DEEPER_POINT_ID in self.coding.key_points or bool(self.codes & _HEARING)

    def _names_deeper(self) -> bool:
        """Whether the reply uses a cue of the feeling underneath ("scared", "drifting apart")."""
        return any(mentions(self.reply or "", cue) for cue in self.scenario.deeper.cues)

    def _choose_reaction(self, moved_from: Stage | None) -> Reaction:
        """One reaction per reply, by priority: the reveal, permission, advice, a stage move, the rest."""
        state, codes, plan = self.state, self.codes, self.scenario.advice
        if moved_from is not None and state.stage is Stage.deepening:
            # The state now says the deeper feeling was revealed, so this turn's line must say it;
            # a request for ideas or thanks for them waits for a later turn.
            if codes & {Code.permission_ask, Code.advice}:
                self.say(f"{self.name} says the feeling underneath first; the ideas can wait a turn.")
            return Reaction.reveal
        if Code.permission_ask in codes:
            allowed = plan.accepts_permission_from is not None and reached(
                state.stage, plan.accepts_permission_from
            )
            if allowed:
                state.permission_granted = True
                self.say(f"{self.name} now feels heard enough to welcome ideas, and says yes.")
                return Reaction.permission_yes
            self.say(f"{self.name} does not want ideas yet: being heard comes first.")
            return Reaction.permission_no
        if (
            plan.asks_at is not None
            and not state.advice_requested
            and state.stage is not Stage.done
            and reached(state.stage, plan.asks_at)
        ):
            state.advice_requested = True
            self.say(f"{self.name} asks for ideas: from now on, advice is welcome.")
            return Reaction.advice_request
        if Code.advice in codes or self.plan:
            return Reaction.advice_welcome
        moves = {
            Stage.understood: Reaction.confirm,
            Stage.deepening: Reaction.reveal,
            Stage.closing: Reaction.deeper_heard,
            Stage.done: Reaction.done,
        }
        if moved_from is not None and state.stage in moves:
            return moves[state.stage]
        return self._answer()

    # -- the result ------------------------------------------------------------------------------

    def finish(self) -> Transition:
        state = self.state
        if state.status is SessionStatus.active and state.turns >= self.scenario.max_turns:
            state.turns_ran_out = True
            withdrawn = state.stage is Stage.withdrawn
            state.status = SessionStatus.withdrawn if withdrawn else SessionStatus.completed
            self.reaction = Reaction.ended if withdrawn else Reaction.wrap_up
            self.missed = self.point = self.fact = None
            self.say(
                f"This practice allows {self.scenario.max_turns} replies, so the session ends here, "
                f"with the partner at the {state.stage.value} stage"
                + ("." if withdrawn else f"; {self.name} closes warmly for now.")
            )
        left = max(0, self.scenario.max_turns - state.turns)
        state.replies_left = left
        notice = None
        if state.status is SessionStatus.active and left == 2:
            notice = TWO_LEFT
            self.say(notice)
        state.last_reaction = self.reaction
        if self.reaction in _ANSWER:
            self.say(_ANSWER[self.reaction].format(name=self.name))
        chosen = choose_line(self.scenario, self.reaction, state.turns, state.lines, self.fact)
        said_before = chosen.key in state.lines
        carry_on = self.reaction in _CARRY_ON_FROM and not self.waiting
        if said_before and carry_on and state.stage is not Stage.withdrawn:
            # Every line of this reaction is said: rather than say one again, go on with the story.
            self.reaction, self.point = Reaction.elaborate, self._next_point()
            state.last_reaction = self.reaction
            chosen = choose_line(self.scenario, self.reaction, state.turns, state.lines, self.fact)
        missed_before = 0
        if self.reaction is Reaction.partial and self.fact is not None:
            missed_before = times_said(state.lines, Reaction.partial, self.fact)
        state.lines.append(chosen.key)
        cue = PartnerCue(
            reaction=self.reaction,
            missed=self.missed,
            point=self.point,
            reveal_deeper=state.revealed and state.stage is not Stage.withdrawn,
            turn_index=state.turns,
            line=chosen.index,
        )
        return Transition(
            state=state,
            status=state.status,
            cue=cue,
            explanation=self.explanation,
            safety_change=state.safety - self.before.safety,
            notice=notice,
            missed_before=missed_before,
            heard_nothing=self.heard_nothing,
        )

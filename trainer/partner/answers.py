"""How the partner answers a reply that moved nothing: questions, clarifications, half-heard stories.

Part of the state machine (``trainer.partner.transitions``): a closed question gets a yes and a little
more, or a gentle no and what it is instead; an open question gets the next part of the story (or
the feeling underneath, once it is out); a request to clarify gets the point said again; a reflection
that left something out is told what it missed, but only something the partner has already said.
"""

from __future__ import annotations

from functools import cached_property

from trainer.content.scenario import KeyPoint, Reaction, Scenario, Stage, mentions
from trainer.partner.hearing import heard_points
from trainer.partner.replies import asked_about, asks_for_something, asks_to_clarify, point_in
from trainer.partner.state import PartnerState
from trainer.partner.story import brought_in
from trainer.partner.tuning import UNHEARD_WHY, WHY, SafetyRules
from trainer.vocabulary.codes import Code, Coding

ANOTHER_STORY = 2
"""Words from outside the story that make a reflection the partner hears nothing of another story."""


DEEPER_POINT_ID = "_deeper"
"""The id under which ``context_for`` hands the deeper feeling's cues to the coder (never a slug)."""

ENGAGING = frozenset(
    {
        Code.reflection,
        Code.validation,
        Code.feeling_check,
        Code.empathy,
        Code.open_question,
        Code.permission_ask,
        Code.repair,
    }
)


class Answering:
    """The answering half of one turn (``transitions._Turn`` fills these in)."""

    scenario: Scenario
    state: PartnerState
    before: PartnerState
    coding: Coding
    codes: frozenset[Code]
    reply: str | None
    partner_lines: list[str]
    name: str
    credited: list[KeyPoint]
    missed: str | None
    point: str | None
    fact: str | None
    explanation: list[str]
    heard_nothing: bool
    rules: SafetyRules

    def say(self, sentence: str) -> None:
        self.explanation.append(sentence)

    def _missing(self) -> list[KeyPoint]:
        return [kp for kp in self.scenario.key_points if kp.id not in self.state.reflected]

    def _fresh_first(self, points: list[KeyPoint]) -> list[KeyPoint]:
        """``points``, the one the partner's last line was about last: not the same thing twice running."""
        last = point_in(self.scenario, self.partner_lines[-1]) if self.partner_lines else None
        return sorted(points, key=lambda kp: last is not None and kp.id == last.id)

    def _answer(self) -> Reaction:
        """The reaction to a reply that moved nothing beyond sharing -> clarifying."""
        state, codes = self.state, self.codes
        if self.reply is not None and asks_to_clarify(self.reply):
            self.say(f"The reply asks what {self.name} meant.")
            return self._restate()
        if Code.open_question in codes and not self.credited:
            self.point = self._next_point()
            return Reaction.elaborate
        hearing = Code.reflection in codes or bool(self.credited)
        # "...is that right?" checks a reflection; "can we talk at eight?" asks for something: yes or no.
        request = self.reply is not None and Code.repair not in codes and asks_for_something(self.reply)
        checking = (hearing or Code.feeling_check in codes) and not request
        if Code.closed_question in codes and not checking and self.reply is not None:
            return self._yes_or_no()
        if hearing and state.stage in (Stage.sharing, Stage.clarifying):
            if self._says_back_nothing():
                self.heard_nothing = True
                self.say(
                    f"The reply is put as a reflection, but {self.name} hears none of their story or "
                    f"feelings in it, so {self.name} confirms nothing and says it again, plainly."
                )
                return self._restate()
            missing = self._missing()
            if missing:
                return self._name_missed(missing)
        if Code.open_question in codes:
            self.point = self._next_point()
            return Reaction.elaborate
        if Code.reflection in codes and state.stage is Stage.understood:
            return Reaction.confirm
        if state.stage is Stage.closing and DEEPER_POINT_ID in self.coding.key_points:
            return Reaction.deeper_heard  # the deeper feeling heard again: "yes, that's the part"
        if Code.repair in codes and self.before.unrepaired_hurt:
            return Reaction.repair_accepted
        if Code.closed_question in codes and not hearing:
            return self._yes_or_no()
        if codes & (ENGAGING - {Code.open_question, Code.permission_ask}):
            return Reaction.validated
        self.say(f"Nothing in the reply reflected, validated or asked about what {self.name} said.")
        return Reaction.nudge

    def _gain(self, code: Code) -> tuple[int, str]:
        """The safety change for ``code`` in this reply, and why. A reflection the partner hears none
        of its story in is an attempt to understand: it gains what a check of understanding gains."""
        if code is Code.reflection and self._tells_another_story:
            return self.rules.delta(Code.feeling_check), UNHEARD_WHY.format(name=self.name)
        return self.rules.delta(code), WHY[code].format(name=self.name)

    def _says_back_nothing(self) -> bool:
        """A reflection in which the partner hears no point of its story and none of its feelings, on
        the surface or underneath, and that brings in words from elsewhere ("your weight" when the
        story was the gravy): there is nothing to say "yes" to."""
        return not self.credited and self._tells_another_story

    @cached_property
    def _tells_another_story(self) -> bool:
        """Read once per turn: the safety change and the answer both ask."""
        if self.reply is None or Code.reflection not in self.codes:
            return False
        if self.before.stage not in (Stage.sharing, Stage.clarifying):
            return False  # the story is heard by then: what follows is about the feeling underneath
        if heard_points(self.scenario, self.reply, self.partner_lines):
            return False  # said back again, a point heard before
        felt = (*self.scenario.feelings, *self.scenario.deeper.cues)  # the feeling underneath, said early
        if any(mentions(self.reply, feeling) for feeling in felt):
            return False
        # Unlisted words for the story ("it", "eleven", "TV") may still be it, and so may one new word
        # ("brushed it off"); two from elsewhere ("your weight ... it stung") are another story.
        return len(brought_in(self.scenario, self.reply, self.partner_lines)) >= ANOTHER_STORY

    def _told(self) -> set[str]:
        told = self.state.told
        return {kp.id for kp in self.scenario.key_points} if told is None else set(told)

    def _tell(self, point: KeyPoint) -> None:
        self.fact = point.id
        if self.state.told is not None and point.id not in self.state.told:
            self.state.told.append(point.id)

    def _name_missed(self, missing: list[KeyPoint]) -> Reaction:
        """Name a missed point the partner has said; if it has said none, go on with the story."""
        told = self._told()
        said = self._fresh_first([kp for kp in missing if kp.id in told])
        if said:
            self.missed = said[0].missed
            self._tell(said[0])
            return Reaction.partial
        point = missing[0]
        self.say(
            f"{self.name} goes on with the next part of the story: it had not said it yet, so the "
            "reflection could not have missed it."
        )
        if point.id not in self.state.shared:
            self.state.shared.append(point.id)
        self._tell(point)
        self.point = point.share
        return Reaction.elaborate

    def _yes_or_no(self) -> Reaction:
        """A closed question: yes and a little more about what it asks, or no and what it is instead."""
        asked = asked_about(self.scenario, self.reply or "", self.partner_lines)
        if asked:
            point = asked[0]
            fresh = point.id not in self.state.shared
            if fresh:
                self.state.shared.append(point.id)
            self.point = point.share if fresh else point.summary
            self._tell(point)
            return Reaction.short_answer
        if self.state.revealed and self.scenario.deeper.share:
            self.fact, self.point = DEEPER_POINT_ID, self.scenario.deeper.share
            return Reaction.answer_no
        point = self._fresh_first(self._missing() or list(self.scenario.key_points))[0]
        self.point = point.summary
        self._tell(point)
        return Reaction.answer_no

    def _restate(self) -> Reaction:
        """Say again, plainly, what the partner's last line was about."""
        last = self.partner_lines[-1] if self.partner_lines else ""
        if self.state.revealed and self.scenario.deeper.share and self.before.stage is Stage.deepening:
            self.fact, self.point = DEEPER_POINT_ID, self.scenario.deeper.share
            return Reaction.restate
        point = point_in(self.scenario, last)
        if point is None:
            told = self._told()
            unheard = [kp for kp in self._missing() if kp.id in told]
            point = (unheard or self._missing() or list(self.scenario.key_points))[0]
        self.point = point.summary
        self._tell(point)
        return Reaction.restate

    def _next_point(self) -> str:
        """What the partner says more about: the next unreflected point, or the deeper feeling."""
        state = self.state
        if state.revealed:
            deeper = self.scenario.deeper
            self.fact = DEEPER_POINT_ID
            return deeper.share or deeper.summary
        missing = self._missing()
        fresh = [kp for kp in missing if kp.id not in state.shared]
        if fresh:
            state.shared.append(fresh[0].id)
            self._tell(fresh[0])
            return fresh[0].share
        pool = missing or list(self.scenario.key_points)
        point = pool[(state.turns - 1) % len(pool)]
        self._tell(point)
        return point.share

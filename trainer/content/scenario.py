"""The scenario file format. One YAML file in ``scenarios/`` per scenario, validated at load time.

A scenario holds everything the partner needs: who they are, what happened, the key points of the
story a learner should reflect, the deeper feeling that comes out only once the partner feels
understood, whether the partner will want advice, scripted lines for every reaction (the offline
partner), exemplar learner replies per stage (hints), and tuning of the safety rules.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, model_validator

from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import RubricName
from trainer.vocabulary.stages import Stage as Stage  # re-exported: the stages belong to every scenario

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]
Lines = Annotated[list[Line], Field(min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{1,63}$")]


class Reaction(StrEnum):
    """Every way the partner can answer a reply; the scripted partner has lines for each."""

    opening = "opening"  # the partner's first line: what happened and how it feels
    partial = "partial"  # reflected some of it: confirm, then name what was missed ({missed})
    confirm = "confirm"  # reflected all key points: "yes, that's it"
    elaborate = "elaborate"  # open question: shares more ({point})
    short_answer = "short_answer"  # closed question about the story: yes, plus a little more ({point})
    answer_no = "answer_no"  # closed question about something else: no, and what it is instead ({point})
    restate = "restate"  # a request to clarify: the partner says its point again, plainly ({point})
    validated = "validated"  # validation without reflection: softens a little
    nudge = "nudge"  # nothing much in the reply: waits, repeats the feeling
    reveal = "reveal"  # feels understood and safe: the deeper feeling comes out
    deeper_heard = "deeper_heard"  # the deeper feeling was reflected or validated
    done = "done"  # the learner's empathic reaction lands: the exercise closes
    hurt_advice = "hurt_advice"  # unasked-for fix
    hurt_invalidation = "hurt_invalidation"
    hurt_self_focus = "hurt_self_focus"
    hurt_defensiveness = "hurt_defensiveness"
    hurt_leading = "hurt_leading"  # a leading closed question ("don't you think...?")
    withdraw = "withdraw"  # safety ran out: "never mind", "forget it"
    still_withdrawn = "still_withdrawn"  # withdrawn, and the reply was no repair
    repair_accepted = "repair_accepted"  # comes back, warily
    ended = "ended"  # the session ends withdrawn: no more chances
    permission_yes = "permission_yes"
    permission_no = "permission_no"
    advice_request = "advice_request"  # the partner asks for ideas
    advice_welcome = "advice_welcome"  # advice after it was asked for or allowed
    wrap_up = "wrap_up"  # the replies ran out before the exercise finished: a warm goodbye for now


class Actor(StrEnum):
    """Who does or feels a key point: what a reflection must attribute it to."""

    listener = "listener"  # the learner did it ("I was on my phone")
    partner = "partner"  # the partner did or feels it ("you felt alone")
    others = "others"  # someone else did it (no one to get wrong)


Sense = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=300)]
Term = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=2, max_length=80)]
_FAMILY = re.compile(r"@([a-z0-9_-]+)")


class Persona(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    relationship: str = Field(description="Who the partner is to the learner")
    voice: str = Field(description="How the partner talks, for the model partner")


def mentions(text: str, cue: str) -> bool:
    """Whether ``text`` uses a scenario cue as the start of a word (so "cancel" finds "cancelled")."""
    return re.search(r"\b" + re.escape(cue), text.lower()) is not None


class KeyPoint(BaseModel):
    """A point of the partner's story that a good reflection covers."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    summary: str = Field(description="The point, in the partner's own words")
    kind: str = Field(default="fact", pattern="^(fact|feeling|need)$")
    cues: Annotated[list[Annotated[str, StringConstraints(to_lower=True, min_length=2)]], Field(min_length=1)]
    share: Line = Field(description="What the partner says about it when asked to say more")
    missed: Line = Field(description="How the partner names it when a reflection left it out")
    hears: list[Sense] = Field(
        default_factory=list,
        description='Ways of saying the point, by meaning: concepts joined by "+" that must all be in a'
        " reply; each concept is words or a phrase (matched by lemma) or @family (the scenario's"
        ' `words`), alternatives separated by "|". Example: "@phone + dinner|meal"',
    )
    actor: Actor | None = Field(
        default=None,
        description="Who did it, so a reply that gives it to the wrong person does not count"
        " (unset: the partner for feelings and needs, others for facts)",
    )

    def speaker_actor(self) -> Actor:
        """Who the point belongs to: ``actor``, or by kind when unset."""
        if self.actor is not None:
            return self.actor
        return Actor.others if self.kind == "fact" else Actor.partner


class DeeperFeeling(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: str = Field(description="The feeling underneath, said only once the partner feels understood")
    cues: Annotated[list[Annotated[str, StringConstraints(to_lower=True, min_length=2)]], Field(min_length=1)]
    share: Line | None = Field(
        default=None,
        description="What the partner says about it when asked to say more after the reveal ({point})",
    )


class AdvicePlan(BaseModel):
    """Whether the partner wants ideas, and when it asks for them."""

    model_config = ConfigDict(extra="forbid")

    asks_at: Stage | None = Field(default=None, description="The stage at which the partner asks for ideas")
    accepts_permission_from: Stage | None = Field(
        default=None,
        description="From this stage on, a permission_ask gets a yes; before it (or never), a no",
    )


# A scenario's numbers and switches are what they say: JSON true is not 1, nor "50" the number 50
# (pydantic would read both; a tenant's upload is JSON or YAML written by hand).
Whole = Annotated[int, Strict()]
Fraction = Annotated[float, Strict()]
Switch = Annotated[bool, Strict()]


class Tuning(BaseModel):
    """Safety rules. Unset fields take the defaults for the scenario's difficulty (partner/tuning.py)."""

    model_config = ConfigDict(extra="forbid")

    start_safety: Whole | None = Field(default=None, ge=1, le=100)
    start_withdrawn: Switch = Field(
        default=False,
        description='The partner has already said "never mind": the session opens withdrawn and only a repair'
        " opens the conversation",
    )
    withdraw_at: Whole | None = Field(default=None, ge=0, le=60)
    reveal_min_safety: Whole | None = Field(default=None, ge=0, le=100)
    gain_scale: Fraction | None = Field(
        default=None,
        gt=0,
        le=3,
        description="Multiplies every safety gain: how far the partner opens up per good reply",
    )
    repair_recovery: Whole | None = Field(default=None, ge=0, le=100)
    repairs_allowed: Whole | None = Field(default=None, ge=0, le=5)
    replies_while_withdrawn: Whole | None = Field(default=None, ge=1, le=5)
    understood_share: Fraction | None = Field(
        default=None, gt=0, le=1, description="Share of the key points reflected before feeling understood"
    )
    penalty_scale: Fraction | None = Field(
        default=None, gt=0, le=3, description="Multiplies every safety loss (unset: the difficulty's)"
    )
    deltas: dict[Code, Whole] = Field(default_factory=dict, description="Safety change per behaviour code")


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Slug
    title: Annotated[str, StringConstraints(min_length=3, max_length=80)]
    summary: Annotated[str, StringConstraints(min_length=10, max_length=300)]
    difficulty: Whole = Field(ge=1, le=3)
    skills: Annotated[list[RubricName], Field(min_length=1)]
    lesson: str = Field(description="What this scenario teaches, for the report and the facilitator")
    learner_role: str = Field(description="Who the learner plays, shown before the first line")
    partner: Persona
    situation: str = Field(description="What happened, in the third person, for the model partner")
    feelings: Annotated[list[Annotated[str, StringConstraints(to_lower=True)]], Field(min_length=1)]
    words: dict[Slug, Annotated[list[Term], Field(min_length=1)]] = Field(
        default_factory=dict,
        description="Word families for the key points' `hears` (@name): words and phrases that mean the"
        " same in this story; each is matched in all its forms (scroll: scrolled, scrolling)",
    )
    key_points: Annotated[list[KeyPoint], Field(min_length=1, max_length=6)]
    deeper: DeeperFeeling
    advice: AdvicePlan = AdvicePlan()
    max_turns: Whole = Field(default=12, ge=4, le=40)
    lines: dict[Reaction, Lines]
    exemplars: dict[Stage, Lines]
    tuning: Tuning = Tuning()

    @model_validator(mode="after")
    def _complete(self) -> Scenario:
        missing = [r.value for r in Reaction if r not in self.lines]
        if missing:
            raise ValueError(f"lines: missing reactions {', '.join(missing)}")
        stages = [s.value for s in Stage if s not in (Stage.done,) and s not in self.exemplars]
        if stages:
            raise ValueError(f"exemplars: missing stages {', '.join(stages)}")
        ids = [k.id for k in self.key_points]
        if len(ids) != len(set(ids)):
            raise ValueError("key_points: ids must be unique")
        for index, point in enumerate(self.key_points):
            for sense in point.hears:
                unknown = sorted(set(_FAMILY.findall(sense)) - set(self.words))
                if unknown:
                    raise ValueError(
                        f"key_points[{index}].hears: {sense!r} names no word family {', '.join(unknown)}"
                        " (add it under `words`)"
                    )
        for reaction in (Reaction.partial,):
            for line in self.lines[reaction]:
                if "{missed}" not in line:
                    raise ValueError(f"lines.{reaction.value}: every line needs the {{missed}} placeholder")
        for reaction in (Reaction.elaborate, Reaction.short_answer, Reaction.answer_no, Reaction.restate):
            for line in self.lines[reaction]:
                if "{point}" not in line:
                    raise ValueError(f"lines.{reaction.value}: every line needs the {{point}} placeholder")
        return self

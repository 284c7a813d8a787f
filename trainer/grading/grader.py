"""The offline grader: behaviours plus context become five rubric scores, each with a reason and
the evidence quoted from the reply, and one tip.

Each rubric has a small score table (below, and in words in rubrics.yaml); the caps written in
rubrics.yaml are applied on top, so the file is the single statement of what limits a score.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from trainer.coding.coder import RulesCoder
from trainer.coding.invisible import clean_reply
from trainer.content.rubric import Cap, RubricSet
from trainer.content.rubric import Signal as S
from trainer.grading.moments import applicable
from trainer.grading.notices import notice_for
from trainer.grading.reading import ADDRESSES_GRADER, Judgement, Reading, read, spans_overlap
from trainer.grading.tips import choose_tip
from trainer.vocabulary.codes import Code, Coding
from trainer.vocabulary.grades import Engine, Grade, GradeContext, RubricName, RubricScore

PART_SELF_SHARE = 0.25
# What counts as engaging with the partner's experience: anything that invites them to go on.
ENGAGING = (
    S.reflection, S.feeling_check, S.validation, S.empathy, S.open_question, S.permission_ask, S.repair
)
# For partner_focus, any question about the partner also keeps the spotlight on them.
ATTENDING = (*ENGAGING, S.closed_question)


class Coder(Protocol):
    def code(self, reply: str, context: GradeContext | None = None) -> Coding: ...


def score_reflection(r: Reading) -> Judgement:
    if not r.has(S.reflection):
        if r.has(S.feeling_check):
            return Judgement(1, "Checks understanding, but says nothing back first.",
                             r.quote(S.feeling_check), "check_only")
        # The coder cannot say where it saw the feeling; in a reply that talks to the grader, no credit.
        if r.coding.feeling_named and ADDRESSES_GRADER not in r.coding.flags:
            return Judgement(1, "Names a feeling, but does not say back what happened.", "", "feeling_only")
        return Judgement(0, "Nothing the partner said or felt is said back.", "", "none")
    evidence = r.quote(S.reflection)
    named = r.context.named_miss
    if named is not None and named.heard_nothing:
        return Judgement(
            1, "Says something back, but the partner did not hear their story in it: they said it again.",
            evidence, "unheard",
        )
    if r.context.key_points:
        covered = len(r.context.key_points) - len(r.missed_points)
        if not r.missed_points and named is not None:
            # In a session the partner decides what was heard: a point it names as missing is missing.
            return Judgement(2, "Says back much of the story, but leaves out a part the partner names.",
                             evidence, "missed_points")
        if not r.missed_points:
            return Judgement(3, "Says back every key point of the story in your own words.", evidence, "full")
        if r.coding.feeling_named:
            return Judgement(2, "Names the feeling, but leaves out part of what happened.", evidence,
                             "missed_points")
        if covered:
            return Judgement(
                2, "Restates part of the story, but misses the feeling and part of what happened.",
                evidence, "missed_feeling",
            )
        return Judgement(1, "Says something back, but neither the feeling nor a key point of the story.",
                         evidence, "off_point")
    if r.coding.feeling_named:
        return Judgement(3, "Puts what happened and how it felt into your own words.", evidence, "full")
    return Judgement(2, "Restates the facts in your own words, but misses the feeling.", evidence,
                     "missed_feeling")


def score_validation(r: Reading) -> Judgement:
    if r.has(S.invalidation):
        return Judgement(0, "Dismisses or judges the feeling.", r.quote(S.invalidation), "invalidation")
    if r.has(S.validation):
        evidence = r.quote(S.validation)
        if r.coding.feeling_named or r.has(S.reflection) or r.has(S.empathy):
            return Judgement(3, "Says the feeling makes sense and ties it to what they went through.",
                             evidence, "full")
        return Judgement(2, "Validates, but in general terms; say what makes the feeling understandable.",
                         evidence, "generic")
    if r.has(S.empathy):
        return Judgement(2, "Shares a caring reaction; saying the feeling makes sense would validate it.",
                         r.quote(S.empathy), "empathy_only")
    if r.has(S.validation_undone):
        return Judgement(1, "The validation is taken back by the 'but' that follows it.",
                         r.quote(S.validation_undone), "validation_undone")
    if r.has(S.defensiveness):
        return Judgement(0, "Defends you instead of making room for the feeling.", r.quote(S.defensiveness),
                         "defensiveness")
    return Judgement(1, "Neither validates nor dismisses the feeling.", "", "neutral")


def score_not_fixing(r: Reading) -> Judgement:
    if r.has(S.advice):
        evidence = r.quote(S.advice)
        if r.has(S.invalidation):
            # Asked for or not, a fix that waves the feeling away ("just let it go") is a brush-off.
            return Judgement(0, "Offers a fix that brushes the feeling aside.", evidence, "brush_off")
        if r.has(S.advice_requested):
            return Judgement(3, "Offers ideas after the partner asked for them.", evidence, "asked")
        if r.has(S.permission_granted):
            return Judgement(3, "Offers ideas the partner agreed to hear.", evidence, "asked")
        if r.has(S.permission_ask):
            return Judgement(1, "Asks whether they want ideas, then gives them before they can answer.",
                             evidence, "advice_with_permission")
        if r.context.ideas_declined:
            return Judgement(1, "Offers a fix just after the partner said they want to be heard first.",
                             evidence, "declined")
        if r.has(S.reflection) or r.has(S.validation) or r.has(S.empathy):
            return Judgement(2, "Hears the partner first, but then offers a fix they did not ask for.",
                             evidence, "advice_after_listening")
        return Judgement(1, "Offers a fix the partner did not ask for.", evidence, "advice")
    if r.has(S.permission_ask):
        return Judgement(3, "Asks before offering any ideas.", r.quote(S.permission_ask), "permission")
    return Judgement(3, "Offers no fix; the partner's experience stays the subject.", "", "no_fix")


def score_open_questions(r: Reading) -> Judgement:
    if r.has(S.leading_question):
        if r.has(S.open_question):
            return Judgement(1, "The open question is undercut by a leading one.",
                             r.quote(S.leading_question), "leading_question")
        return Judgement(0, "Asks a leading question that steers the partner to an answer.",
                         r.quote(S.leading_question), "leading_question")
    if r.has(S.open_question):
        return Judgement(3, "Asks an open question that invites the partner to say more.",
                         r.quote(S.open_question), "open")
    checks = [b.evidence for b in r.credited if b.code in (Code.feeling_check, Code.permission_ask)]
    closed = [
        b.evidence for b in r.credited
        if b.code == Code.closed_question and not any(spans_overlap(r.reply, b.evidence, c) for c in checks)
    ]
    if closed:
        return Judgement(1, "Asks a yes/no question, which invites a short answer.", closed[0], "closed")
    if checks:
        return Judgement(2, "Checks in with the partner; an open question could also invite more.", checks[0],
                         "check")
    if not any(r.has(s) for s in ENGAGING):
        return Judgement(1, "Gives the partner nothing to answer; an open question would invite them in.",
                         r.questions[0] if r.questions else "", "no_question")
    if r.questions:
        return Judgement(2, "Asks a question; an open one ('what...', 'how...') would invite more.",
                         r.questions[0], "other_question")
    return Judgement(2, "No question, which is fine here; an open one could invite the partner to say more.",
                     "", "no_question")


def score_partner_focus(r: Reading) -> Judgement:
    turned = r.has(S.self_focus) or r.has(S.defensiveness)
    if turned and r.has(S.mostly_self):
        return Judgement(0, "Mostly about you, and turns the talk to your own story or defence.",
                         r.quote(S.self_focus, S.defensiveness), "self_focus")
    if r.has(S.self_focus):
        return Judgement(1, "Turns the talk to your own experience.", r.quote(S.self_focus), "self_focus")
    if r.has(S.defensiveness):
        return Judgement(1, "Explains or defends you instead of hearing the impact on them.",
                         r.quote(S.defensiveness), "defensiveness")
    caring = r.has(S.empathy) or r.has(S.repair)
    if r.coding.self_share >= PART_SELF_SHARE and not caring:
        return Judgement(2, "Stays with the partner, though part of the reply is about you.", "", "part_self")
    attending = [s for s in ATTENDING if r.has(s)]
    if attending:
        return Judgement(3, "Keeps the spotlight on the partner's experience.", r.quote(*attending),
                         "focused")
    if r.has(S.advice):
        if r.has(S.advice_requested) or r.has(S.permission_granted):
            return Judgement(3, "Answers what the partner asked for.", r.quote(S.advice), "focused")
        return Judgement(2, "Stays on their problem, but on the fix rather than their experience.",
                         r.quote(S.advice), "fix_focus")
    return Judgement(2, "Does not turn to you, but gives the partner little to hold on to.", "", "thin")


SCORERS: Mapping[RubricName, Callable[[Reading], Judgement]] = {
    RubricName.reflection: score_reflection,
    RubricName.validation: score_validation,
    RubricName.not_fixing: score_not_fixing,
    RubricName.open_questions: score_open_questions,
    RubricName.partner_focus: score_partner_focus,
}


def apply_caps(caps: Sequence[Cap], reading: Reading, judgement: Judgement) -> Judgement:
    """Lower the score to the first of ``caps`` (tightest first) whose signal is present and not lifted."""
    signals = reading.signals
    for cap in caps:
        if judgement.score > cap.max and cap.when in signals and signals.isdisjoint(cap.lifted_by):
            return Judgement(cap.max, cap.why, reading.quote(cap.when), cap.when.value)
    return judgement


class RulesGrader:
    """Grades a reply offline: the rules coder's behaviours, read in context, scored per rubric.

    Holds no per-call state: build one and share it.
    """

    def __init__(self, rubrics: RubricSet, coder: Coder | None = None) -> None:
        self.rubrics = rubrics
        self.coder: Coder = coder if coder is not None else RulesCoder()
        self._caps = {rubric.name: tuple(sorted(rubric.caps, key=lambda c: c.max)) for rubric in rubrics}

    def grade(self, reply: str, context: GradeContext) -> Grade:
        """Code and grade ``reply`` (cleaned first: ``clean_reply``); InvalidReply for a blank one."""
        reply = clean_reply(reply)
        return self.grade_coding(reply, self.coder.code(reply, context), context)

    def grade_coding(self, reply: str, coding: Coding, context: GradeContext) -> Grade:
        """Grade a reply that is already coded; each rubric says whether the moment called for it."""
        reading = read(reply, coding, context)
        notice = notice_for(coding)
        applies = applicable(self.rubrics, context.stage, reading.signals, readable=notice is None)
        judgements: dict[RubricName, Judgement] = {}
        for rubric in self.rubrics:
            judgement = apply_caps(self._caps[rubric.name], reading, SCORERS[rubric.name](reading))
            if reading.ignored_any(rubric.raised_by):
                judgement = judgement.with_note("Text aimed at the grader earns no credit.")
            if notice is not None:
                judgement = Judgement(
                    judgement.score, "Not graded: the reply could not be read.", "", "unreadable"
                )
            judgements[rubric.name] = judgement
        return Grade(
            behaviours=coding.behaviours,
            rubrics={
                name: RubricScore(
                    score=j.score, reason=j.reason, evidence=j.evidence, applicable=applies[name]
                )
                for name, j in judgements.items()
            },
            tip=choose_tip(judgements, applies, reading, self.rubrics),
            notice=notice,
            engine=Engine.rules,
            coding=coding,
        )

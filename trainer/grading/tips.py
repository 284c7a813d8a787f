"""One tip per reply, written from the reply and the moment; the wording lives in ``feedback.yaml``.

- The tip aims at the weakest rubric the moment called for (ties by ``tip_priority``); a rubric the
  moment did not call for never draws a tip. When every one of them scored 3, the tip names the
  exercise's next step for the moment.
- It quotes the learner's own words where a wording asks for them ({quote}), and, in a session, the
  partner's own words for the key point its answer names as missed ({said}, ``GradeContext.named_miss``:
  the partner decides what is missing, the tip never guesses another); never a key point's id.
- Once the partner has said the feeling underneath, {feeling} is that feeling, not the surface one.
- After the partner withdraws, the tip models a repair; for good news, the wording fits good news.
- A reflection that leaves out again a point the partner already named gets a hint that names it,
  more plainly each time (``missed_again``: progressive hints, like a coach).
- Wordings rotate with the turn, so consecutive replies never get the same tip, and the same reply
  at the same turn always gets the same one.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from trainer.coding import lexicon
from trainer.content.rubric import RubricSet
from trainer.content.scenario import Scenario, mentions
from trainer.grading.reading import Judgement, Reading
from trainer.grading.wording import FEEDBACK, TipBook
from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import RubricName
from trainer.vocabulary.stages import Stage

QUOTE_WORDS = 12
# Feelings of good news (``words.yaml``): a scenario whose first feeling is one of these brings good news.
GOOD_NEWS = lexicon.FEELINGS_OF_GOOD_NEWS
_FEELINGS = lexicon.FEELINGS_SAID_BACK  # the feelings a tip may borrow from the partner's line
_WORD = re.compile(r"[a-z]+")
# Reflection causes about what the reply left out (not about how it said it, like parroting).
_SAYS_WHAT_WAS_MISSED = frozenset({"missed_points", "missed_feeling", "off_point"})


def load_tips() -> TipBook:
    """The tips of ``feedback.yaml`` (loaded and checked once, by ``trainer.grading.wording``)."""
    return FEEDBACK.tips


@dataclass(frozen=True)
class Situation:
    feeling: str
    good_news: bool
    said: str | None


def feeling_in(line: str) -> str | None:
    """The first feeling of a small list that ``line`` uses, if any."""
    words = _WORD.findall(line.lower())
    for index in range(len(words)):
        for feeling in _FEELINGS:
            parts = feeling.split()
            if words[index : index + len(parts)] == parts:
                return feeling
    return None


def topic(key_point_id: str) -> str:
    """``cancelled-plans`` -> ``cancelled plans``: a key point id as words (for checks, never for tips)."""
    return re.sub(r"[-_]+", " ", key_point_id).strip()


def good_news(scenario: Scenario) -> bool:
    """Whether the scenario's partner brings good news (its first feeling is a glad one)."""
    return bool(scenario.feelings) and scenario.feelings[0] in GOOD_NEWS


def deeper_feeling(scenario: Scenario, partner_lines: Sequence[str] = ()) -> str | None:
    """A word for the feeling underneath: the feeling the partner used when saying it (the latest of
    ``partner_lines`` that carries a cue of the scenario's ``deeper`` section), so the tip does not
    say "afraid" after "I'm more ashamed than angry"; else the first feeling a tip may borrow in that
    section's summary, then its cues; none when nothing names such a feeling."""
    deeper = scenario.deeper
    said = [line for line in reversed(partner_lines) if any(mentions(line, cue) for cue in deeper.cues)]
    return next((f for f in map(feeling_in, (*said, deeper.summary, *deeper.cues)) if f), None)


def situation(reading: Reading) -> Situation:
    context = reading.context
    named = context.feelings[0] if context.feelings else feeling_in(context.partner)
    surface = named or FEEDBACK.fallback_feeling
    # Once the feeling underneath is out, it is the one to reflect and make sense of.
    feeling = context.deeper_feeling or surface
    # What is missing is what the partner names as missed, never a second guess made here.
    said = quotable(context.named_miss.words) if context.named_miss is not None else None
    return Situation(feeling=feeling, good_news=surface in GOOD_NEWS, said=said)


def quotable(line: str) -> str:
    """The partner's words ready to sit inside a tip's double quotes: without the full stop that the
    tip's own sentence follows with, and with their own quotation marks made single ("it was 'that's
    just Mum'", not "it was "that's just Mum".".)."""
    return line.strip().rstrip(".!").translate(_SINGLE_QUOTES)


_SINGLE_QUOTES = str.maketrans({'"': "'", "\u201c": "\u2018", "\u201d": "\u2019"})


def _quote(evidence: str) -> str:
    words = evidence.split()
    return " ".join(words[:QUOTE_WORDS]) + ("…" if len(words) > QUOTE_WORDS else "")


def _pick(variants: Sequence[str], turn: int, salt: str, usable: Mapping[str, str | None]) -> str:
    """The wording for this turn: rotates by turn (consecutive turns differ), skipping wordings whose
    placeholders have nothing to fill."""
    fitting = [v for v in variants if all(usable.get(k) or f"{{{k}}}" not in v for k in usable)] or list(
        variants
    )
    start = zlib.crc32(salt.encode()) % len(fitting)
    chosen = fitting[(start + turn) % len(fitting)]
    for key, value in usable.items():
        chosen = chosen.replace(f"{{{key}}}", value or "")
    return chosen


def repair_tip(hurt: Code | None, turn: int, book: TipBook | None = None) -> str:
    """A tip that models a repair, naming what went wrong when the reply shows it."""
    book = book or load_tips()
    miss = book.misses.get(hurt.value if hurt is not None else "none", book.misses["none"])
    return _pick(book.repair, turn, "repair", {"miss": miss})


def next_step_tip(
    codes: frozenset[Code],
    stage: Stage,
    good_news: bool,
    turn: int,
    book: TipBook | None = None,
    *,
    ideas_asked: bool = False,
) -> str:
    """The exercise's next step at ``stage``, for a reply that met every rubric the moment called for;
    ``ideas_asked``: the partner has asked what the learner thinks they should do."""
    book = book or load_tips()
    steps = _next_step(book, codes, stage, good_news, ideas_asked)
    # One rotation across the moments that answer a request for ideas, so consecutive turns differ.
    salt = "next:ideas" if steps is book.next_steps.ideas_asked else f"next:{stage.value}"
    return _pick(steps, turn, salt, {})


def _next_step(
    book: TipBook, codes: frozenset[Code], stage: Stage, good_news: bool, ideas_asked: bool
) -> Sequence[str]:
    steps = book.next_steps
    if stage is Stage.done or (stage is Stage.closing and Code.empathy in codes):
        return steps.done
    if stage is Stage.closing:
        return steps.empathy_good_news if good_news else steps.empathy
    if ideas_asked and stage in (Stage.understood, Stage.deepening):
        # They asked for ideas and now feel heard: the next step answers the request, gently.
        return steps.ideas_asked
    if stage is Stage.deepening:
        return steps.deepening
    if stage is Stage.understood:
        return steps.understood
    if Code.repair in codes and Code.reflection not in codes:
        return steps.after_repair
    if Code.reflection not in codes and Code.open_question in codes:
        return steps.after_question
    return steps.clarify if Code.feeling_check in codes else steps.check


HURT_ORDER = (Code.invalidation, Code.defensiveness, Code.advice, Code.self_focus, Code.disengagement)


def worst_hurt(codes: frozenset[Code]) -> Code | None:
    return next((code for code in HURT_ORDER if code in codes), None)


def choose_tip(
    judgements: Mapping[RubricName, Judgement],
    applies: Mapping[RubricName, bool],
    reading: Reading,
    rubrics: RubricSet,
    book: TipBook | None = None,
) -> str:
    """Exactly one tip for the reply at its moment."""
    book = book or load_tips()
    context = reading.context
    turn = context.turn
    if not reading.readable:
        return _pick(book.unreadable, turn, "unreadable", {})
    stage = context.stage or Stage.sharing
    codes = reading.coding.codes
    if stage is Stage.withdrawn and Code.repair not in codes:
        return repair_tip(worst_hurt(codes), turn, book)
    where = situation(reading)
    called = [name for name in rubrics.tip_priority if applies.get(name)]
    lowest = min((judgements[name].score for name in called), default=3)
    if lowest == 3:
        ideas = context.advice_requested or context.permission_granted
        return next_step_tip(codes, stage, where.good_news, turn, book, ideas_asked=ideas)
    target = next(name for name in called if judgements[name].score == lowest)
    judgement = judgements[target]
    cause = judgement.cause
    if target is RubricName.partner_focus and Code.disengagement in codes:
        cause = "changed_subject" if "changed_subject" in reading.coding.flags else "disengagement"
    if target is RubricName.reflection and "words_only" in reading.coding.flags:
        cause = "words_only"
    variants = book.for_rubric(target, cause, where.good_news)
    salt = f"{target.value}:{cause}"
    named = context.named_miss
    if target is RubricName.reflection and cause in _SAYS_WHAT_WAS_MISSED and named and named.named_before:
        # They were told this point is missing and left it out again: the hint names it, more plainly.
        level = book.hint_level(named.named_before)
        variants, salt = book.missed_again[level], f"missed_again:{level}"
    elif target is RubricName.reflection and cause in _SAYS_WHAT_WAS_MISSED and where.said:
        # The partner has just said what is missing: the tip points to that part, not to another gap
        # ("add the feeling") nor to "ask what you left out", which asks for what they were told.
        pointed = "missed_points" if cause == "missed_points" else "partner_named"  # feeling caught or not
        wordings = book.for_rubric(target, pointed, where.good_news)
        variants, salt = tuple(v for v in wordings if "{said}" in v) or wordings, f"{target.value}:{pointed}"
    usable = {"feeling": where.feeling, "quote": _quote(judgement.evidence) or None, "said": where.said}
    return _pick(variants, turn, salt, usable)

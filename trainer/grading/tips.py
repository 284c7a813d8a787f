"""One tip per reply: aimed at the weakest rubric, kind, with a phrase the learner could say next.

The tips themselves are in ``feedback.yaml`` (``trainer.grading.wording``); this picks one.

The phrase borrows the partner's situation (a feeling from the scenario or the partner's line, a key
point the reply missed). Wording varies between replies but is fixed for a given reply, so the same
reply always gets the same tip.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from trainer.coding.lexicon import FEELINGS_SAID_BACK
from trainer.grading.reading import Judgement, Reading
from trainer.grading.wording import FALLBACK, FEEDBACK
from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import RubricName


def _by_first_word(feelings: Sequence[str]) -> Mapping[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, tuple[tuple[str, ...], ...]] = {}
    for feeling in feelings:
        words = tuple(feeling.split())
        index[words[0]] = (*index.get(words[0], ()), words)
    return MappingProxyType(index)


_FEELING_WORDS = _by_first_word(FEELINGS_SAID_BACK)
_WORD = re.compile(r"[a-z]+")


def feeling_in(line: str) -> str | None:
    """The first feeling a tip may say back (``said_back`` in words.yaml) that ``line`` uses, if any."""
    words = _WORD.findall(line.lower())
    for index, word in enumerate(words):
        for parts in _FEELING_WORDS.get(word, ()):
            if tuple(words[index : index + len(parts)]) == parts:
                return " ".join(parts)
    return None


def topic(key_point_id: str) -> str:
    """``cancelled-plans`` -> ``cancelled plans``: a key point id as words."""
    return re.sub(r"[-_]+", " ", key_point_id).strip()


@dataclass(frozen=True)
class Situation:
    feeling: str
    missed: str | None


def situation(reading: Reading) -> Situation:
    context = reading.context
    feeling = context.feelings[0] if context.feelings else None
    if feeling is None:
        feeling = feeling_in(context.partner) or FEEDBACK.fallback_feeling
    missed = topic(reading.missed_points[0]) if reading.missed_points else None
    return Situation(feeling=feeling, missed=missed)


def _pick(variants: Sequence[str], reply: str, salt: str) -> str:
    return variants[zlib.crc32(f"{salt}:{reply}".encode("utf-8", "surrogatepass")) % len(variants)]


def weakest(judgements: Mapping[RubricName, Judgement], priority: Sequence[RubricName]) -> RubricName:
    lowest = min(j.score for j in judgements.values())
    return next(name for name in priority if judgements[name].score == lowest)


def choose_tip(
    judgements: Mapping[RubricName, Judgement], reading: Reading, priority: Sequence[RubricName]
) -> str:
    """Exactly one tip: for the weakest rubric (ties by ``priority``), or the exercise's next step."""
    where = situation(reading)
    target = weakest(judgements, priority)
    if judgements[target].score == 3:
        codes = reading.coding.codes
        steps = FEEDBACK.next_step
        if Code.empathy in codes:
            variants: Sequence[str] = steps.done
        elif Code.feeling_check in codes:
            variants = steps.empathy
        else:
            variants = steps.check
        return _pick(variants, reading.reply, "next")
    cause = judgements[target].cause
    tips = FEEDBACK.tips[target]
    variants = tips.get(cause) or tips[FALLBACK]
    if where.missed is None:
        variants = [v for v in variants if "{missed}" not in v] or tips[FALLBACK]
    text = _pick(variants, reading.reply, target.value)
    return text.format(feeling=where.feeling, missed=where.missed or "")

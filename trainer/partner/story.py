"""What belongs to the partner's story, and what a reply brings into it from elsewhere.

A reflection in which the partner hears none of its points may still say the story back, in words the
``hears`` senses do not list or with "it" for what the partner named ("you ended up doing it at eleven
while I watched TV"); or it may tell a story the partner never told ("your weight", when it was the
gravy). Only the second gets no "yes": its words come from somewhere else. A word belongs to the story
when the scenario uses it anywhere (what happened, the key points, their cues and word families, the
feelings, every scripted line) or the partner has said it; the words every reply uses (stopwords,
feeling words, "sound", "seem") belong to every story.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from trainer.coding import lexicon
from trainer.content.scenario import Scenario
from trainer.partner.hearing import lemma, lemmas

_EVERY_STORY = frozenset(
    lemma(word)
    for word in (
        *lexicon.STOPWORDS, *lexicon.FEELINGS, "sound", "seem", "hear", "understand", "guess",
        "imagine", "wonder", "happen", "totally", "completely", "absolutely", "honestly", "actually",
        "basically", "whole", "again", "lately", "recently", "sorry", "wow", "big", "deal",
    )
)


def scenario_texts(scenario: Scenario) -> tuple[str, ...]:
    """Everything the scenario says about its story, as text."""
    texts = [scenario.summary, scenario.situation, scenario.learner_role, *scenario.feelings]
    for point in scenario.key_points:
        texts += [point.summary, point.share, point.missed, *point.cues, *point.hears]
    for family in scenario.words.values():
        texts += family
    texts += [scenario.deeper.summary, scenario.deeper.share or "", *scenario.deeper.cues]
    for lines in scenario.lines.values():
        texts += lines
    return tuple(texts)


@lru_cache(maxsize=64)
def _vocabulary(texts: tuple[str, ...]) -> frozenset[str]:
    return frozenset(word for text in texts for word in lemmas(text))


def brought_in(scenario: Scenario, reply: str, partner_lines: Sequence[str] = ()) -> frozenset[str]:
    """The lemmas of ``reply`` that neither the story nor the words of every reply hold."""
    known = _vocabulary(scenario_texts(scenario))
    said = {word for line in partner_lines for word in lemmas(line)}
    return frozenset(
        word
        for word in lemmas(reply)
        if len(word) > 2 and word not in _EVERY_STORY and word not in known and word not in said
    )

"""Notices: a sentence for the learner when a reply could not be read at all, instead of a silent
zero. Such a reply is not graded (no rubric applies) and does not move the partner."""

from __future__ import annotations

from functools import lru_cache

from trainer.coding import lexicon
from trainer.coding import lexicon as _lexicon
from trainer.coding.gibberish import GIBBERISH, gibberish, known_words
from trainer.coding.guard import OTHER_LANGUAGE, other_language
from trainer.vocabulary.codes import Coding

NOTICES: dict[str, str] = {
    OTHER_LANGUAGE: (
        "Replies are read in English, and this one is in another language, so it was not graded and "
        "the partner is still waiting. Try saying it again in English."
    ),
    GIBBERISH: (
        "This reply could not be read as words, so it was not graded and the partner is still waiting. "
        "Try again in a sentence or two."
    ),
}


def notice_for(coding: Coding) -> str | None:
    """The notice for a reply the coder could not read, or None for a readable reply."""
    return next((NOTICES[flag] for flag in coding.flags if flag in NOTICES), None)


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    return known_words(_lexicon)


def notice_for_reply(reply: str) -> str | None:
    """The notice a stored reply carries, worked out again from its words (the coder's own checks)."""
    if other_language(reply, lexicon.FEELINGS):
        return NOTICES[OTHER_LANGUAGE]
    if gibberish(reply, _known()):
        return NOTICES[GIBBERISH]
    return None

"""Replies the coder cannot read because they are not words: keyboard noise ("asdkjh qweoiu"), a key
held down ("jjjjjjjj"), made-up words ("blorp fen vask").

English replies, however short, use at least one common word ("ok", "you", "so", "wow"); a reply
whose words are all unknown, or that is one long run of a single letter, is not read. Other
languages are caught by ``trainer.coding.guard.other_language`` first.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from types import ModuleType

from trainer.coding.disengagement import MINIMAL

GIBBERISH = "gibberish"
"""The coding flag of a reply made of no readable words."""

_KNOWN_WORD = re.compile(r"[a-z]{2,}")
_RUN = re.compile(r"([a-z])\1{4,}")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_VOWELS = frozenset("aeiouy")
SHORT_WORD = 3
MIN_WORDS = 3
_NAME = re.compile(r"[A-Z][A-Za-z]*[.,?!]*")


def _unreadable_word(word: str) -> bool:
    return bool(_RUN.search(word)) or (len(word) > SHORT_WORD and _VOWELS.isdisjoint(word))


def gibberish(reply: str, known: Collection[str]) -> bool:
    """Whether ``reply`` has letters but no word a reader would know.

    ``known`` is the coder's vocabulary of common English words (stop words, feelings, minimal
    replies, and the words its cues use).
    """
    found = _WORD.findall(reply.lower())
    if not found:
        return False
    if all(_unreadable_word(word) for word in found):
        return True
    if len(found) < MIN_WORDS or any(_NAME.fullmatch(token) for token in reply.split()[1:]):
        return False  # a name or an acronym ("Hi Mr. Johnson?", "ASMR?") is not noise
    return not any(word in known or word.split("'")[0] in known for word in found)


def known_words(lexicon: ModuleType) -> frozenset[str]:
    """Common English words the coder knows: stop words, feelings, minimal replies, and every word
    its cues use (``lexicon`` is ``trainer.coding.lexicon``)."""
    found: set[str] = set(lexicon.STOPWORDS) | set(lexicon.FEELINGS) | MINIMAL
    for patterns in lexicon.CUES.values():
        for pattern in patterns:
            found.update(_KNOWN_WORD.findall(pattern))
    return frozenset(found)

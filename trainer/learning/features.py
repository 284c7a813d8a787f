"""Hashed binary features of normalised sentences, for the linear models of the screen and the coder.

A sentence is read word by word: "W:word" stands for a word and its character n-grams (3 to 5
letters inside the word padded with spaces), "b:one two" for a bigram, "w:word" for a negation and
"n:word" for a word a negation governs (it gets no n-grams, so "never hurt" does not read as "hurt").
Feature names are hashed with CRC-32 into ``buckets`` slots (a power of two). The cost is linear in
the length of the text and reading stops after ``MAX_MODEL_CHARS`` characters.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Iterator, Sequence

MAX_MODEL_CHARS = 4_000  # replies are limited to 2,000 by the API
_MIN_GRAM = 3
_MAX_GRAM = 5
_SKIP = frozenset({'"', ",", "_"})
# A negation governs the next few words of its clause, unless one of them is a verb like "think" or
# "want" ("i do not think i can go on").
NEGATORS = frozenset({"not", "never", "no", "nobody", "nothing", "neither", "nor", "without"})
HEDGES = frozenset(
    {"think", "know", "sure", "believe", "see", "care", "feel", "want", "mind", "matter", "stop", "help"}
)
_SCOPE = 3
# A lone surrogate ("\ud800" in a JSON line) is a valid Python string that strict UTF-8 refuses.
_BYTES = ("utf-8", "surrogatepass")


def feature_names(sentences: Iterable[str]) -> Iterator[str]:
    """The features of normalised sentences, up to ``MAX_MODEL_CHARS`` characters in all."""
    budget = MAX_MODEL_CHARS
    for sentence in sentences:
        if budget <= 0:
            return
        sentence = sentence[:budget]
        budget -= len(sentence) + 1
        previous = "<s>"
        words = sentence.split()
        negated = 0
        for index, word in enumerate(words):
            if word in _SKIP:
                previous = "|"
                negated = 0
                continue
            if negated:
                negated -= 1
                yield "n:" + word
                previous = "not_" + word
                continue
            yield "b:" + previous + " " + word
            previous = word
            if word in NEGATORS and HEDGES.isdisjoint(words[index + 1 : index + 1 + _SCOPE]):
                negated = _SCOPE
                yield "w:" + word
                continue
            yield "W:" + word
        yield "b:" + previous + " </s>"


def hashed(sentences: Iterable[str], buckets: int, extra: Iterable[str] = ()) -> list[int]:
    """The distinct feature slots of ``sentences`` and of the ``extra`` feature names, first seen first."""
    mask = buckets - 1
    crc = zlib.crc32
    seen: dict[int, None] = {}
    for name in feature_names(sentences):
        if name[0] == "W":
            for slot in _word_slots(name[2:], mask):
                seen[slot] = None
        else:
            seen[crc(name.encode(*_BYTES)) & mask] = None
    for name in extra:
        seen[crc(name.encode(*_BYTES)) & mask] = None
    return list(seen)


_WORD_CACHE: dict[tuple[str, int], tuple[int, ...]] = {}
_WORD_CACHE_LIMIT = 50_000


def _word_slots(word: str, mask: int) -> tuple[int, ...]:
    """The slots of a word's unigram ("w:word") and of its character n-grams, remembered per word."""
    key = (word, mask)
    slots = _WORD_CACHE.get(key)
    if slots is None:
        if len(_WORD_CACHE) >= _WORD_CACHE_LIMIT:
            _WORD_CACHE.clear()
        padded = " " + word + " "
        names = ["w:" + word]
        for n in range(_MIN_GRAM, _MAX_GRAM + 1):
            names.extend("c:" + padded[start : start + n] for start in range(len(padded) - n + 1))
        slots = _WORD_CACHE[key] = tuple(zlib.crc32(name.encode(*_BYTES)) & mask for name in names)
    return slots


def softmax(scores: Sequence[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def sigmoid(score: float) -> float:
    if score >= 0:
        return 1.0 / (1.0 + math.exp(-score))
    e = math.exp(score)
    return e / (1.0 + e)

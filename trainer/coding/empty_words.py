"""Words without listening: a reply made of technique labels ("validate", "reflect", "open
question"), frames said over and over ("it sounds like it sounds like"), or a list of feeling words
with nothing of what happened.

Such a reply carries nothing of the partner's experience, so it earns no behaviour codes (the coder
drops them), its reflection scores at most 1, and it never raises the partner's safety. A real
reflection that happens to use a frame twice, or names two feelings tied to what happened, keeps its
content words and is not caught here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from enum import StrEnum

from trainer.coding.text import words


def _wordlist(text: str) -> list[str]:
    """The words of a whitespace-separated list."""
    return text.split()


# Names of listening techniques, said instead of doing them.
_LABELS = re.compile(
    r"\b(?:validat(?:e|ed|es|ing|ion)|reflect(?:ion|ing|s)?|empath(?:y|ise|ize|ising|izing)|"
    r"paraphras(?:e|ing)|summari[sz](?:e|ing)|open(?:[- ]ended)? questions?|active listening|"
    r"feelings|feeling words?|i statements?)\b"
)
# The words of the frames a listener uses around content ("it sounds like", "what i am hearing is").
_LABEL_STARTS = (
    "validat",
    "reflect",
    "empath",
    "paraphras",
    "summar",
    "open",
    "question",
    "active",
    "listening",
    "feeling",
    "ended",
    "statement",
    "words",
    "word",
)
FRAME_WORDS = frozenset(
    _wordlist(
        "hear hearing heard sound sounds sounded like seem seems make makes made sense right get "
        "got feel feeling felt here understand understood check correct okay totally completely "
        "there listening"
    )
)
LABELS_ENOUGH = 2
STOCK_ENOUGH = 3
FEELINGS_ENOUGH = 4
CONTENT_ALLOWED = 1
MANY_LABELS = 3
CONTENT_WITH_MANY_LABELS = 3
_LONGEST_FRAME = 6


class Emptiness(StrEnum):
    labels = "labels"  # technique labels strung together
    repeated = "repeated"  # a frame said again and again
    feelings = "feelings"  # a list of feeling words with no situation


def _content(said: Sequence[str], stopwords: Collection[str], feelings: Collection[str]) -> list[str]:
    return [
        word for word in said if word not in stopwords and word not in FRAME_WORDS and word not in feelings
    ]


def _repeats_a_frame(said: Sequence[str], stopwords: Collection[str]) -> bool:
    """A run of frame words said three times in a row ("it sounds like it sounds like it sounds
    like"); twice is how people stumble when they speak ("is that- is that about")."""
    for size in range(2, _LONGEST_FRAME + 1):
        for start in range(len(said) - 3 * size + 1):
            run = said[start : start + size]
            if run == said[start + size : start + 2 * size] == said[
                start + 2 * size : start + 3 * size
            ] and all(word in FRAME_WORDS or word in stopwords for word in run):
                return True
    return False


def emptiness(
    sentences: Sequence[str], said: Sequence[str], stopwords: Collection[str], feelings: Collection[str]
) -> Emptiness | None:
    """Why a reply (its normalised sentences and their words) is words without listening, or None
    when it carries content.

    A sentence that is a frame alone ("it makes sense.", "is that right?") is a stock phrase.
    """
    raw = _content(said, stopwords, feelings)
    if len(raw) - sum(word.startswith(_LABEL_STARTS) for word in raw) > CONTENT_WITH_MANY_LABELS:
        return None  # more content than any label could account for: the common case, decided cheaply
    normalised = " ".join(sentences)
    labels = len(_LABELS.findall(normalised))
    content = _content(words(_LABELS.sub(" ", normalised)), stopwords, feelings)
    if labels >= MANY_LABELS and len(content) <= CONTENT_WITH_MANY_LABELS:
        return Emptiness.labels
    stock_phrases = sum(
        1
        for sentence in sentences
        if (found := words(sentence)) and all(w in FRAME_WORDS or w in stopwords for w in found)
    )
    if len(content) > CONTENT_ALLOWED:
        return None
    if labels >= LABELS_ENOUGH or (not content and labels + stock_phrases >= STOCK_ENOUGH):
        return Emptiness.labels
    if _repeats_a_frame(said, stopwords):
        return Emptiness.repeated
    if len({word for word in said if word in feelings}) >= FEELINGS_ENOUGH:
        return Emptiness.feelings
    return None

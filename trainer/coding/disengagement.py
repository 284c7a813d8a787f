"""Disengagement: a reply that changes the subject, or meets what the partner said with a minimal
reply ("Nice.", "ok", a thumbs up).

Both are read on the normalised reply (``trainer.coding.text``: lowercase, "ok" spelled "okay",
emoji removed). A minimal reply is disengagement only when the partner said something that matters:
"ok" to "I'll be back around seven" is a fine answer. A change of subject is a sentence that turns
to something else (a match, dinner, the weather) with words the partner never used, that puts the
conversation off ("can we not do this now?"), or that puts the partner on hold ("one sec, just
finishing this text"). The caller codes it only when nothing else in the reply
engages with the partner or fixes (a plan that mentions the car is advice, not a new subject).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from trainer.coding.text import stem, words


def _wordlist(text: str) -> list[str]:
    """The words of a whitespace-separated list."""
    return text.split()


# Whole replies that say nothing back: every word is one of these (at most MINIMAL_WORDS of them).
MINIMAL = frozenset(
    _wordlist(
        "nice okay ok k kk cool good great sure fine huh mm mmm mhm hm hmm oh right yeah yes yep "
        "alright whatever noted wow lol one cool ah ahh aha interesting gotcha neat mm-hm uh-huh"
    )
)
MINIMAL_WORDS = 4

# Sentences that turn the talk elsewhere, whatever the partner said.
_TURN_AWAY = re.compile(
    r"^(?:and |so |but |yeah,? |right,? |okay,? |nice,? |cool,? |great,? |mm,? )*"
    r"(?:anyway|anyhow|speaking of|by the way|on another note|changing the subject|moving on|"
    r"in other news|unrelated)\b"
    r"|\b(?:can|could) (?:we|this) (?:not )?(?:do this|talk about this|wait|leave (?:it|this)) "
    r"(?:now|later|another time|tomorrow)?\b.*\?"
    r"|\bcan we not do this\b|\bnot now\b.*\b(?:game|match|show|film|telly|tv)\b"
)
# The partner put on hold for something else ("one sec, just finishing this text", "hang on, let me
# just send this"), unless the reply puts that thing away to listen.
_ON_HOLD = re.compile(
    r"^(?:sorry,? |hey,? |oh,? |yeah,? |okay,? |wait,? )*(?:one sec(?:ond)?|one moment|hang on|hold on|"
    r"just a (?:sec|second|minute|moment)|give me (?:a|one|two|five|a few) (?:secs?|seconds?|minutes?|"
    r"mins?|moments?))\b"
    r"|\bjust (?:replying|answering|finishing|sending|reading|checking|texting|typing) (?:this|that|to|"
    r"one|the|an?|my)\b"
    r"|\blet me (?:just )?(?:send|finish|reply|answer|check|read) (?:this|that|it)\b"
    r"|\bi am (?:just )?in the middle of (?:something|this|it)\b"
)
_BACK_TO_THEM = re.compile(
    r"\b(?:put|putting|it is|phone is) (?:it |this |my phone |the phone )?(?:away|down)\b"
    r"|\bturn(?:ing)? (?:it|this) off\b|\blisten|\ball yours\b"
)
# Everyday topics a listener switches to; only a change of subject when the partner never used them.
_ELSEWHERE = frozenset(
    _wordlist(
        "match game football footy telly tv netflix film movie pizza takeaway tea dinner lunch "
        "weather keys milk car pub shopping bins traffic series episode score league united city"
    )
)
_SUGGESTS = ("let us", "shall we", "want to", "do you want", "fancy", "how about")
# A partner line that only arranges things: a minimal answer to it is fine.
_LOGISTICS = re.compile(
    r"\b(?:be (?:back|home|there|late)|back (?:around|at|by)|running late|on my way|see you (?:at|in|"
    r"later)|pick (?:you|it) up|i will be (?:late|back|home))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Disengaged:
    """Why a reply is disengagement: ``minimal`` or a change of subject, and the sentence that shows it."""

    changed_subject: bool
    sentence_index: int


def is_minimal(normalised: str) -> bool:
    """The whole reply is a token answer: a few words from ``MINIMAL``, or no words at all (emoji)."""
    said = words(normalised)
    return len(said) <= MINIMAL_WORDS and all(word in MINIMAL for word in said)


def big_news(partner_line: str) -> bool:
    """Whether the partner said something that matters (anything but a line that arranges logistics)."""
    return bool(partner_line.strip()) and not _LOGISTICS.search(partner_line)


def turns_away(sentence: str, partner_words: frozenset[str]) -> bool:
    """A sentence that changes the subject: a turn-away phrase, or a topic the partner never raised."""
    if _TURN_AWAY.search(sentence):
        return True
    if "?" not in sentence and not sentence.startswith(_SUGGESTS):
        return False  # a statement that mentions the match is not yet a new subject
    topics = {stem(word) for word in words(sentence) if word in _ELSEWHERE}
    return bool(topics) and not topics & partner_words


def disengagement(
    normalised: str, sentences: Sequence[str], partner_line: str, partner_words: frozenset[str]
) -> Disengaged | None:
    """Whether a reply that engages with nothing else is disengagement, and where it shows."""
    if partner_line and not big_news(partner_line):
        return None
    on_hold = _BACK_TO_THEM.search(normalised) is None
    for index, sentence in enumerate(sentences):
        if turns_away(sentence, partner_words) or (on_hold and _ON_HOLD.search(sentence)):
            return Disengaged(changed_subject=True, sentence_index=index)
    if is_minimal(normalised):
        return Disengaged(changed_subject=False, sentence_index=0)
    return None

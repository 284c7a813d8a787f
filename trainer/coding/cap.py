"""The injection cap: what a model judge may claim beyond the rules grade, checked structurally.

A judge can be fooled by a reply in ways no pattern foresees, so its word is not taken for anything
the rules grade does not already grant. A model score above the rules score stands only when:

- the reply does not address a grader (a reply that does gets no raise at all, however it does it);
- the rules can read the reply (not another language, not one phrase said over and over);
- the evidence the model quotes is found in the reply, word for word and on word boundaries ("ok"
  is not found in "look"), outside any text aimed at a grader, and is at least three words long;

and even then it rises by one point at most. Evidence that is quoted but cannot be found drops the
model's score for the rules score, whichever way it pointed. A behaviour the rules coder did not
find is credited on the same terms. Everything runs on the cleaned reply (``clean_reply``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trainer.coding.guard import OTHER_LANGUAGE, mask_grader_text

MAX_RAISE = 1
MIN_EVIDENCE_WORDS = 3
GRADER_NOTE = " (Capped at the offline score: the reply speaks to the grader.)"
UNFOUND_NOTE = " (The quoted words are not in the reply: the offline score stands.)"
UNSUPPORTED_NOTE = " (No words said to the partner show more than the offline score.)"
ONE_POINT_NOTE = " (At most one point above the offline score.)"

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_QUOTES = "\"'`“”‘’ .…"
_WORD = re.compile(r"[^\W_]+")
_REPEATED_WORDS = 20  # a reply this long whose words are mostly repeats says one thing many times
_DISTINCT_SHARE = 0.25


def _normalised(text: str) -> tuple[str, list[int]]:
    """Case-folded text with runs of whitespace as one space, and each character's original index."""
    chars: list[str] = []
    positions: list[int] = []
    pending_space = False
    for index, char in enumerate(text):
        if char.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            positions.append(index)
            pending_space = False
        for folded in char.translate(_FOLD).casefold():
            chars.append(folded)
            positions.append(index)
    return "".join(chars), positions


def locate(evidence: str, text: str) -> str | None:
    """The span of ``text`` that ``evidence`` quotes (ignoring case, spacing and quote marks, on word
    boundaries), or None."""
    wanted, _ = _normalised(evidence.strip(_QUOTES))
    if not wanted:
        return None
    haystack, positions = _normalised(text)
    bounded_start, bounded_end = wanted[0].isalnum(), wanted[-1].isalnum()
    start = haystack.find(wanted)
    while start >= 0:
        end = start + len(wanted)
        before_ok = not bounded_start or start == 0 or not haystack[start - 1].isalnum()
        after_ok = not bounded_end or end == len(haystack) or not haystack[end].isalnum()
        if before_ok and after_ok:
            return text[positions[start] : positions[end - 1] + 1]
        start = haystack.find(wanted, start + 1)
    return None


def repetitive(reply: str) -> bool:
    found = _WORD.findall(reply.casefold())
    return len(found) >= _REPEATED_WORDS and len(set(found)) < len(found) * _DISTINCT_SHARE


@dataclass(frozen=True)
class ReplyChecks:
    """What the cap knows about one reply."""

    reply: str
    partner_text: str  # the reply with everything aimed at a grader blanked out
    to_grader: bool
    unreadable: bool  # the rules cannot check a claim about it

    @classmethod
    def of(cls, reply: str, to_grader: bool, flags: tuple[str, ...]) -> ReplyChecks:
        return cls(
            reply=reply,
            partner_text=mask_grader_text(reply),
            to_grader=to_grader,
            unreadable=OTHER_LANGUAGE in flags or repetitive(reply),
        )

    def supports_more(self, evidence: str) -> bool:
        """Whether ``evidence`` can carry a claim beyond the rules grade."""
        if self.to_grader or self.unreadable:
            return False
        span = locate(evidence, self.partner_text)
        return span is not None and len(_WORD.findall(span)) >= MIN_EVIDENCE_WORDS

    def found(self, evidence: str) -> str | None:
        return locate(evidence, self.reply)


def capped(model_score: int, rules_score: int, evidence: str, checks: ReplyChecks) -> tuple[int, str]:
    """The score that stands, and a note for the reason when it is not the model's."""
    if evidence.strip(_QUOTES) and checks.found(evidence) is None:
        return rules_score, UNFOUND_NOTE if model_score != rules_score else ""
    if model_score <= rules_score:
        return model_score, ""
    if checks.to_grader:
        return rules_score, GRADER_NOTE
    if not checks.supports_more(evidence):
        return rules_score, UNSUPPORTED_NOTE
    if model_score > rules_score + MAX_RAISE:
        return rules_score + MAX_RAISE, ONE_POINT_NOTE
    return model_score, ""

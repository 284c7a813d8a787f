"""The cue lists the rules coder matches, by name: sentence cues (scanned in one pass over a reply)
and clause cues (each searched on its own). Their phrases are in ``cues.yaml``, loaded by
``trainer.coding.lexicon``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from trainer.coding.lexicon import CUES, LEAD_IN
from trainer.coding.matcher import Cue, SentenceScanner

# The clause-level cues, each searched on its own in a clause or a sentence.
CLAUSE_CUES: dict[str, tuple[str, ...]] = {
    "advice_question": CUES["advice_question"],
    "leading": CUES["leading_question"],
    "open_question": CUES["open_question"],
    "closed_opener": CUES["closed_opener"],
    "unpunctuated_question": CUES["unpunctuated_question"],
    "feeling_check": CUES["feeling_check"],
    "permission_ask": CUES["permission_ask"],
    "invalidation": CUES["invalidation"],
    "sarcasm": CUES["sarcasm"],
    "spin": CUES["spin"],
    "validation": CUES["validation"],
    "contrast": CUES["validation_but"],
    "defensiveness": CUES["defensiveness"],
    "but_defence": CUES["but_defence"],
    "self_disclosure": CUES["self_disclosure"],
    "advice": CUES["advice"],
}


@dataclass(frozen=True, slots=True)
class ClauseCues:
    """The clause-level cues, compiled once per coder."""

    advice_question: Cue
    leading: Cue
    open_question: Cue
    closed_opener: Cue
    unpunctuated_question: Cue
    feeling_check: Cue
    permission_ask: Cue
    invalidation: Cue
    sarcasm: Cue
    spin: Cue
    validation: Cue
    contrast: Cue
    defensiveness: Cue
    but_defence: Cue
    self_disclosure: Cue
    advice: Cue

    @classmethod
    def compiled(cls) -> ClauseCues:
        return cls(**{name: Cue(patterns) for name, patterns in CLAUSE_CUES.items()})


# The sentence-level cues, matched in one pass over the whole reply.
SENTENCE_CUES: dict[str, tuple[str, ...]] = {name: CUES[name] for name in (
    "sarcasm",
    "invalidation",
    "defensiveness",
    "repair",
    "repair_admit",
    "repair_ask",
    "my_life",
    "empathy",
    "feeling_check",
    "permission_ask",
    "advice",
    "advice_question",
    "open_invitation",
    "validation",
    "spin",
    "reflection",
    "reflection_weak",
    "reflection_so",
    "reflection_frame",
    "affirmation",
    "listener_stance",
    "self_subject",
    "self_focus",
    "self_past",
    "as_myself",
)}


@lru_cache(maxsize=1)
def compiled_cues() -> tuple[ClauseCues, SentenceScanner]:
    """The clause cues and the sentence scanner, compiled once per process: some 700 patterns, too
    many for ``re``'s own cache, so every coder built (one per app, per grader) compiled them again."""
    return ClauseCues.compiled(), SentenceScanner(SENTENCE_CUES, LEAD_IN)

"""The cue lists the rules coder matches, by name: sentence cues (scanned in one pass over a reply)
and clause cues (each searched on its own). Their phrases are in ``trainer.coding.lexicon``."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.coding import lexicon
from trainer.coding.matcher import Cue

# The clause-level cues, each searched on its own in a clause or a sentence.
CLAUSE_CUES: dict[str, tuple[str, ...]] = {
    "advice_question": lexicon.ADVICE_QUESTION,
    "leading": lexicon.LEADING_QUESTION,
    "open_question": lexicon.OPEN_QUESTION,
    "closed_opener": (lexicon.CLOSED_OPENER,),
    "unpunctuated_question": (
        lexicon.LEAD_IN + r"(?:what|how|why|when|where|who|which)\b(?: \w+)? "
        r"(?:is|are|was|were|do|does|did|"
        r"have|has|had|can|could|would|will|should|might|happened|made|makes|brought|else|kind|sort|type|"
        r"exactly)\b",
        lexicon.LEAD_IN + r"(?:do|does|did|are|is|was|were|can|could|would|will|have|has|should) "
        r"(?:you|it|that|this|he|she|they|we|i|there|your|anyone|anybody)\b",
    ),
    "feeling_check": lexicon.FEELING_CHECK,
    "permission_ask": lexicon.PERMISSION_ASK,
    "invalidation": lexicon.INVALIDATION,
    "sarcasm": lexicon.SARCASM,
    "spin": lexicon.SPIN,
    "validation": lexicon.VALIDATION,
    "contrast": (lexicon.VALIDATION_BUT,),
    "defensiveness": lexicon.DEFENSIVENESS,
    "but_defence": lexicon.BUT_DEFENCE,
    "self_disclosure": (lexicon.SELF_DISCLOSURE,),
    "advice": lexicon.ADVICE,
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
SENTENCE_CUES: dict[str, tuple[str, ...]] = {
    "sarcasm": lexicon.SARCASM,
    "invalidation": lexicon.INVALIDATION,
    "defensiveness": lexicon.DEFENSIVENESS,
    "repair": lexicon.REPAIR,
    "repair_admit": lexicon.REPAIR_ADMIT,
    "repair_ask": lexicon.REPAIR_ASK,
    "my_life": lexicon.MY_LIFE,
    "empathy": lexicon.EMPATHY,
    "feeling_check": lexicon.FEELING_CHECK,
    "permission_ask": lexicon.PERMISSION_ASK,
    "advice": lexicon.ADVICE,
    "advice_question": lexicon.ADVICE_QUESTION,
    "open_invitation": lexicon.OPEN_INVITATION,
    "validation": lexicon.VALIDATION,
    "spin": lexicon.SPIN,
    "reflection": lexicon.REFLECTION,
    "reflection_weak": lexicon.REFLECTION_WEAK,
    "affirmation": (lexicon.AFFIRMATION,),
    "listener_stance": (lexicon.LISTENER_STANCE,),
    "self_subject": (lexicon.SELF_SUBJECT,),
    "self_focus": lexicon.SELF_FOCUS,
    "as_myself": (lexicon.AS_MYSELF,),
}

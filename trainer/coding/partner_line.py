"""The partner's line as the rules coder sees it: its words, feelings and doubts, worked out once.

The same partner line is coded against many replies in a conversation, so the coder keeps the
last few ``PartnerLine`` objects; each works its features out when a rule first asks.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import cached_property, lru_cache

from trainer.coding import lexicon
from trainer.coding.text import normal_words, stem
from trainer.vocabulary.grades import GradeContext
from trainer.vocabulary.messages import Role

# Person words made neutral, so that a reply that copies the partner with the pronouns swapped
# ("you're always on your phone" -> "I'm always on my phone") still reads as a copy.
NEUTRAL = {
    "i": "1", "me": "1", "you": "1", "we": "1", "us": "1", "my": "2", "your": "2", "our": "2",
    "mine": "3", "yours": "3", "myself": "4", "yourself": "4", "am": "5", "are": "5",
}
PARROTING_COVERAGE = 0.8  # the share of the partner's words a copy repeats, in order
_MAX_PARROT_TOKENS = 80
_ROUGH_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_SELF_DOUBT = re.compile(lexicon.joined(lexicon.CUES["self_doubt"]))
_FEELING_DOUBT = re.compile(lexicon.joined(lexicon.CUES["feeling_doubt"]))


class PartnerLine:
    """What the coder needs from the partner's line, worked out only when a rule asks for it."""

    def __init__(self, line: str, named: tuple[str, ...]) -> None:
        self._line = line
        self._named = named

    @property
    def rough_length(self) -> int:
        return self._line.count(" ") + 1 if self._line.strip() else 0

    @cached_property
    def rough_tokens(self) -> list[str]:
        """The partner's words, lowercased and said back ("I" becomes "you"), without normalising."""
        return [NEUTRAL.get(w, w) for w in _ROUGH_WORD.findall(self._line.lower())]

    @cached_property
    def said(self) -> list[str]:
        return normal_words(self._line)

    @cached_property
    def tokens(self) -> tuple[str, ...]:
        """The partner's words as the listener would say them back ("I" becomes "you")."""
        return tuple(NEUTRAL.get(w, w) for w in self.said)

    @cached_property
    def doubts(self) -> tuple[bool, bool]:
        """Whether the partner doubts themselves ("am I overreacting?", "you must be sick of me"),
        and whether the doubt is about the feeling itself."""
        said = " ".join(self.said)
        return bool(_SELF_DOUBT.search(said)), bool(_FEELING_DOUBT.search(said))

    def parroted_by(self, reply_words: list[str]) -> bool:
        """Whether a reply (its words) copies this line rather than saying it back in its own words."""
        # A rough count of the partner's words rules most replies out before the line is normalised.
        rough = self.rough_length
        if rough < 3 or len(reply_words) < 0.5 * rough or len(reply_words) > 3 * rough + 6:
            return False
        reply = [NEUTRAL.get(w, w) for w in reply_words]
        reply_set = set(reply)
        if sum(1 for w in self.rough_tokens if w in reply_set) < 0.6 * rough:
            return False
        said = self.tokens
        if len(said) < 3 or len(said) > _MAX_PARROT_TOKENS or len(reply) > 2 * len(said) + 6:
            return False
        if sum(1 for w in said if w in reply_set) < PARROTING_COVERAGE * len(said):
            return False
        matcher = SequenceMatcher(None, said, reply, autojunk=False)
        copied = sum(block.size for block in matcher.get_matching_blocks())
        return copied >= PARROTING_COVERAGE * len(said) and copied >= 0.6 * len(reply)

    @cached_property
    def content(self) -> frozenset[str]:
        return frozenset(stem(w) for w in self.said if w not in lexicon.STOPWORDS and len(w) > 2)

    @cached_property
    def _named_feelings(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """The scenario's feelings: single words (as stems) and phrases such as "taken for granted"."""
        single: set[str] = set()
        phrases: list[str] = []
        for feeling in self._named:
            named = " ".join(normal_words(feeling))
            if " " in named:
                phrases.append(named)
            elif named:
                single.add(stem(named))
        return frozenset(single), tuple(phrases)

    @property
    def feelings(self) -> frozenset[str]:
        return self._named_feelings[0]

    @property
    def phrases(self) -> tuple[str, ...]:
        return self._named_feelings[1]


NO_PARTNER = PartnerLine("", ())


def story_of(context: GradeContext) -> str:
    """The partner's story as a listener heard it: their first line and the line being answered (a
    reflection may say back anything of the story, not only the last line)."""
    first = next((m.text for m in context.history if m.role is Role.partner), "")
    return context.partner if not first or first == context.partner else f"{first} {context.partner}"


@lru_cache(maxsize=256)
def _heard_words(lines: tuple[str, ...]) -> frozenset[str]:
    return frozenset(stem(w) for line in lines for w in normal_words(line))


def heard_words(context: GradeContext | None) -> frozenset[str]:
    """Every word the partner has said in the conversation, as stems."""
    if context is None:
        return frozenset()
    lines = (*tuple(m.text for m in context.history if m.role is Role.partner), context.partner)
    return _heard_words(lines)

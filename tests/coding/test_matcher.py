"""The sentence scanner files sentence-start cues by first word without changing what they match."""

from __future__ import annotations

from trainer.coding import lexicon
from trainer.coding.coder import RulesCoder
from trainer.coding.matcher import SentenceScanner
from trainer.coding.text import normalise, words
from trainer.vocabulary.codes import Code

_CUES = {
    "ask": (lexicon.LEAD_IN + r"what if you\b",),
    "stance": (r"^(?:so |and )*i (?:see|get)\b",),
    "other": (r"^(?:oh|ah)+ no\b",),
}


def _scan(reply: str) -> list[set[str]]:
    norm = normalise(reply)
    sentences = norm.sentences()
    vocabulary = frozenset(words(norm.text))
    scanner = SentenceScanner(_CUES, lexicon.LEAD_IN)
    return [set(hit) for hit in scanner.scan(norm.text, vocabulary, [s.start for s in sentences])]


def test_a_cue_after_lead_in_words_is_found_in_any_sentence() -> None:
    assert _scan("Okay. So, um, what if you called her? Right.") == [set(), {"ask"}, set()]


def test_optional_lead_words_and_unreadable_starts_are_still_matched() -> None:
    assert _scan("And so I see it. Oh no. What if we left?") == [{"stance"}, {"other"}, set()]


def test_self_disclosure_of_a_similar_situation_is_self_focus() -> None:
    coding = RulesCoder().code("I was in a similar situation last year and I struggled with it.")
    assert Code.self_focus in {b.code for b in coding.behaviours}

"""The fast cue matchers find exactly what plain ``re.search`` finds, cue by cue, on every eval reply.

``SentenceScanner`` and ``Cue`` (``trainer.coding.matcher``) take cue patterns apart to match many of
them in one pass; this holds them to the plain meaning of each pattern. Every reply in ``evals/``
(labelled replies, attacks, conversations and the other sets) is normalised and cut into sentences as
the coder does, then:

- the scanner, given every sentence cue pattern under a name of its own, must report for each
  sentence exactly the patterns that ``re.search`` finds in that sentence;
- each clause cue must match a sentence, and the whole reply, exactly when one of its patterns does;
  ``Cue.first`` must find the very match ``re.search`` finds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from trainer.coding.cues import CLAUSE_CUES, SENTENCE_CUES
from trainer.coding.lexicon import LEAD_IN
from trainer.coding.matcher import Cue, SentenceScanner
from trainer.coding.text import normalise, words
from trainer.settings import DATA_DIR

EVALS = DATA_DIR / "evals"


def replies_in(data: Any) -> Iterator[str]:
    """Every ``reply`` in an eval file, whatever its shape (``reply_repeat`` joined as the loader does)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "reply" and isinstance(value, str):
                yield value
            elif key == "reply_repeat" and isinstance(value, dict):
                yield " ".join([value["text"]] * value["times"])
            else:
                yield from replies_in(value)
    elif isinstance(data, list):
        for item in data:
            yield from replies_in(item)


def eval_replies() -> list[str]:
    found: list[str] = []
    for path in sorted(EVALS.rglob("*.yaml")):
        if "fixtures" not in path.parts:  # recorded model answers, not replies
            found.extend(replies_in(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return found


REPLIES = eval_replies()


def test_every_eval_set_gives_replies() -> None:
    assert len(REPLIES) > 1000
    for folder in ("replies", "conversations"):
        assert any(replies_in(yaml.safe_load(p.read_text())) for p in (EVALS / folder).glob("*.yaml"))
    assert any(replies_in(yaml.safe_load((EVALS / "adversarial.yaml").read_text())))


def each_pattern() -> dict[str, tuple[str, ...]]:
    """Every sentence cue pattern under a name of its own: ``validation__3``."""
    return {
        f"{name}__{index}": (pattern,)
        for name, patterns in SENTENCE_CUES.items()
        for index, pattern in enumerate(patterns)
    }


def test_the_scanner_finds_what_re_finds_for_every_sentence_cue_pattern() -> None:
    patterns = each_pattern()
    scanner = SentenceScanner(patterns, LEAD_IN)
    plain = {name: re.compile(source) for name, (source,) in patterns.items()}
    differences: list[str] = []
    for reply in REPLIES:
        norm = normalise(reply)
        sentences = norm.sentences()
        if not sentences:
            continue
        vocabulary = frozenset(word for sentence in sentences for word in words(sentence.text))
        hits = scanner.scan(norm.text, vocabulary, [sentence.start for sentence in sentences])
        for sentence, hit in zip(sentences, hits, strict=True):
            expected = {name for name, pattern in plain.items() if pattern.search(sentence.text)}
            for name in sorted(expected ^ hit.keys()):
                found_by = "re only" if name in expected else "scanner only"
                differences.append(f"{name} ({found_by}): {sentence.text!r}")
    assert differences == []


@pytest.mark.parametrize("name", sorted(CLAUSE_CUES))
def test_each_clause_cue_finds_what_re_finds(name: str) -> None:
    patterns = CLAUSE_CUES[name]
    cue = Cue(patterns)
    plain = [re.compile(source) for source in patterns]
    joined = re.compile("|".join(f"(?:{source})" for source in patterns))
    differences: list[str] = []
    for reply in REPLIES:
        norm = normalise(reply)
        for text in [sentence.text for sentence in norm.sentences()] + [norm.text]:
            expected = any(pattern.search(text) for pattern in plain)
            if (cue.search(text) is not None) != expected:
                differences.append(f"search ({'re' if expected else 'cue'} only): {text!r}")
            first, leftmost = cue.first(text), joined.search(text)
            if (first and first.span()) != (leftmost and leftmost.span()):
                differences.append(f"first: {text!r}")
    assert differences == []


def test_a_pattern_of_top_level_alternatives_is_every_one_of_them() -> None:
    """The bug this proof found: "\\bA|\\bB" was filed under A's first word, and B was never tried."""
    affirmation = (r"\byou will (?:find|be)\b|\byou are (?:a )?(?:great|good)\b",)
    scanner = SentenceScanner({"affirmation": affirmation})
    text = "you are a great dad."
    assert scanner.scan(text, frozenset(words(text)), [0]) == [{"affirmation": len("you are a great")}]
    assert Cue(affirmation).search(text) is not None
    anchored = SentenceScanner({"cue": (r"^well|i see\b",)})
    text = "so i see it."
    assert anchored.scan(text, frozenset(words(text)), [0]) == [{"cue": len("so i see")}]

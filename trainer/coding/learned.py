"""The coder's learned part: a linear model per behaviour over what the rules read and found.

The rules (``trainer.coding.coder``) find the behaviours their cues describe and quote the sentence
that shows each. Listeners also reflect, advise, support and talk about themselves in words no cue
lists. For a few codes (``CoderModel.codes``) an independent logistic regression reads the reply's
normalised sentences (hashed word and character n-grams, ``trainer.learning.features``) and a few
facts the rules worked out (which codes they found, how much of the partner's content the reply
says back, whether it names a feeling), and gives a probability per code. What the rules found
stands, and so does their reading of every sentence that showed a code; the model reads the
sentences the rules found nothing in, and a code the rules missed is added when its probability
reaches the code's threshold, with the sentence that scores highest for it as evidence.

Trained by ``python -m trainer.evals.train_coder_model`` on ``trainer/data/coder-training/`` only
(replies written for this project; provenance in its README). The weights ship as
``coder_model.json``; inference is pure Python and linear in the length of the reply.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from trainer.coding import lexicon
from trainer.coding.found import Found
from trainer.coding.partner_line import PartnerLine
from trainer.coding.text import Sentence, stem, words
from trainer.learning.features import hashed, sigmoid
from trainer.learning.weights import pack, unpack
from trainer.vocabulary.codes import Code

MODEL_FILE = Path(__file__).with_name("coder_model.json")
FORMAT = "trainer-coder-model/1"
DEFAULT_BUCKETS = 1 << 17
_OVERLAP_STEPS = (0, 1, 2, 3, 5)
_ABOUT_YOU = frozenset({"you", "your", "yours", "yourself"})
_LENGTH_STEPS = (0, 3, 6, 12, 25, 50)


def _step(value: int, steps: Sequence[int]) -> int:
    return max(step for step in steps if value >= step)


@dataclass(frozen=True)
class Reading:
    """What the model reads of a reply: its normalised sentences and the rules' findings."""

    sentences: tuple[str, ...]
    facts: tuple[str, ...]

    @classmethod
    def of(
        cls,
        sentences: Sequence[str],
        rule_codes: Iterable[Code],
        *,
        shared_content: int,
        names_feeling: bool,
        words: int,
    ) -> Reading:
        facts = [f"r:{code.value}" for code in rule_codes] or ["r:none"]
        facts.append(f"o:{_step(shared_content, _OVERLAP_STEPS)}")
        facts.append(f"len:{_step(words, _LENGTH_STEPS)}")
        if names_feeling:
            facts.append("feeling")
        return cls(tuple(sentences), tuple(facts))


class CoderModel:
    """Weights per (slot, code), a bias and a threshold per code (the probability at which the model
    adds a code the rules missed; above 1: never); ``buckets`` is a power of two."""

    def __init__(
        self,
        codes: Sequence[Code],
        weights: array[int],
        scale: float,
        bias: Sequence[float],
        thresholds: Sequence[float],
        buckets: int,
    ) -> None:
        if buckets & (buckets - 1) or len(weights) != buckets * len(codes):
            raise ValueError("coder model: weights do not match buckets x codes")
        if not len(codes) == len(bias) == len(thresholds):
            raise ValueError("coder model: codes, bias and thresholds differ in length")
        self.codes = tuple(codes)
        self.weights = weights
        self.scale = scale
        self.bias = tuple(bias)
        self.thresholds = tuple(thresholds)
        self.buckets = buckets
        # One column of weights per code, so that a code's sum over a reply's slots is one C loop.
        width = len(self.codes)
        self._columns = tuple(weights[k::width] for k in range(width))

    def slots(self, reading: Reading) -> list[int]:
        return hashed(reading.sentences, self.buckets, reading.facts)

    def scores(self, slots: Iterable[int]) -> list[float]:
        """The raw score (log-odds) of each code, in ``codes`` order."""
        slots = slots if isinstance(slots, list) else list(slots)
        scale = self.scale
        return [
            b + sum(map(column.__getitem__, slots)) * scale
            for b, column in zip(self.bias, self._columns, strict=True)
        ]

    def probabilities(self, reading: Reading) -> dict[Code, float]:
        return {
            code: sigmoid(score)
            for code, score in zip(self.codes, self.scores(self.slots(reading)), strict=True)
        }

    def best_sentence(self, code: Code, sentences: Sequence[str]) -> tuple[int, dict[Code, float]]:
        """The index of the sentence that, read alone, scores highest for ``code``, and that
        sentence's raw score for every code."""
        k = self.codes.index(code)
        scored = [self.scores(hashed((text,), self.buckets)) for text in sentences]
        best = max(range(len(sentences)), key=lambda index: scored[index][k])
        return best, dict(zip(self.codes, scored[best], strict=True))

    def to_json(self, provenance: dict[str, object]) -> str:
        body = {
            "format": FORMAT,
            "codes": [code.value for code in self.codes],
            "buckets": self.buckets,
            "features": "char 3-5 grams in space-padded words, word unigrams and bigrams, the rules' "
            "codes and facts; crc32 mod buckets",
            "thresholds": dict(zip([code.value for code in self.codes], self.thresholds, strict=True)),
            "scale": self.scale,
            "bias": list(self.bias),
            "provenance": provenance,
            "weights_int8_zlib_base64": pack(self.weights),
        }
        return json.dumps(body, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> CoderModel:
        body = json.loads(text)
        if body.get("format") != FORMAT:
            raise ValueError("coder model: unknown format")
        codes = [Code(name) for name in body["codes"]]
        thresholds = [float(body["thresholds"][code.value]) for code in codes]
        return cls(
            codes,
            unpack(body["weights_int8_zlib_base64"]),
            float(body["scale"]),
            body["bias"],
            thresholds,
            int(body["buckets"]),
        )


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_FILE) -> CoderModel | None:
    """The shipped model, read once per process (None when no model has been trained)."""
    if not path.is_file():
        return None
    return CoderModel.from_json(path.read_text(encoding="utf-8"))


def reading_of(
    rule_codes: Iterable[Code], texts: Sequence[str], reply_words: Sequence[str], story: PartnerLine
) -> Reading:
    """What the learned part reads of a reply (its normalised sentences and words), given the codes the
    rules found and the partner's story."""
    said = {
        stem(w)
        for w in reply_words
        if w not in lexicon.STOPWORDS and w not in lexicon.PLEASANTRIES and len(w) > 2
    }
    return Reading.of(
        texts,
        rule_codes,
        shared_content=len(said & story.content),
        names_feeling=not lexicon.FEELINGS.isdisjoint(reply_words),
        words=len(reply_words),
    )


def not_to_add(found: Found, *, sarcasm: bool, echoed: bool) -> frozenset[Code]:
    """What the second look may not add, given the rules' reading of the whole reply: no
    understanding after a dismissal, a defence or sarcasm ("calm down. getting this worked up won't
    help"), no reflection of words parroted or spun, no self_focus, empathy or validation in owning
    a lapse."""
    blocked: set[Code] = set()
    if echoed:
        blocked.add(Code.reflection)
    if sarcasm or Code.invalidation in found or Code.defensiveness in found:
        blocked.update((Code.reflection, Code.validation, Code.empathy))
    if found.admitted or found.apology or found.retry or Code.repair in found:
        # Owning a lapse is not talk about oneself, and a bare "sorry" the rules did not read as
        # care ("oh sorry babe") is not empathy.
        blocked.update((Code.self_focus, Code.empathy))
    if found.admitted or Code.repair in found:
        # "I skated right past that" says nothing of whether the feeling makes sense (the rules
        # still read "of course you're hurt" beside it; "I'm so sorry" alone may be care).
        blocked.add(Code.validation)
    return frozenset(blocked)


def second_look(
    model: CoderModel,
    found: Found,
    sentences: Sequence[Sentence],
    story: PartnerLine,
    blocked: frozenset[Code],
) -> None:
    """What the rules found stands, and so does their reading of each sentence that showed a code
    (a caring reaction is not a reflection, "did I get that?" is a check and nothing else). The
    learned part reads the sentences the rules found nothing in and adds a code they missed (not one
    of ``blocked``) when it is sure, quoting the sentence that scores highest for it."""
    unread = [sentence for sentence in sentences if sentence.start not in found.read]
    if not unread:
        return
    texts = [sentence.text for sentence in unread]
    reply_words = [word for text in texts for word in words(text)]
    reading = reading_of(found.codes(), texts, reply_words, story)
    probabilities = model.probabilities(reading)
    # A reflection says back something the partner said or felt: their words or a feeling.
    says_back = "o:0" not in reading.facts or "feeling" in reading.facts
    for code, threshold in zip(model.codes, model.thresholds, strict=True):
        if code in found or code in blocked or probabilities[code] < threshold:
            continue
        if code is Code.reflection and not says_back:
            continue
        best, alone = model.best_sentence(code, texts)
        if alone[code] < 0:
            continue  # the sentence to quote does not show the code by itself: no evidence to give
        if code is Code.self_focus and not _ABOUT_YOU.isdisjoint(words(texts[best])):
            continue  # the listener's own story says nothing of the partner ("when you told me, i...")
        if code is Code.reflection and alone.get(Code.advice, float("-inf")) > alone[code]:
            continue  # a fix that reuses the partner's topic restates nothing ("he'll trust you if you...")
        found.add(code, unread[best])

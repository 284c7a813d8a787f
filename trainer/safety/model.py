"""The screen's learned part: a linear classifier over hashed features of the learner's own words.

The phrase rules (``trainer.safety.screen``) catch the phrasings they list and the families they
describe; plain statements in words no phrase lists slip past them. This model reads the same
normalised sentences the rules read, after the rules' exclusions took out what is not the learner
speaking for themselves (sentences about a story, idioms and hyperbole, words quoted back from the
partner, reflections of the partner), and gives a probability per class (``none`` and the three risk
categories). Features are hashed into ``buckets`` slots: character n-grams of 3 to 5 letters inside
each word padded with spaces, and word unigrams and bigrams within a sentence (``trainer.learning``).

It is multinomial logistic regression trained by ``python -m trainer.evals.train_screen_model`` on the
labelled replies in ``evals/screen/`` only (evals/screen/README.md, "The screen's model"). The weights
ship as ``screen_model.json``: int8 weights (times ``scale``), zlib-compressed and base64-encoded,
bucket-major (``buckets`` x classes). Inference is pure Python, linear in the length of the text, and
reads at most ``MAX_MODEL_CHARS`` characters.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from trainer.learning.features import feature_names, hashed, softmax
from trainer.learning.weights import pack, unpack

MODEL_FILE = Path(__file__).with_name("screen_model.json")
CLASSES: tuple[str, ...] = ("none", "self_harm", "harm_to_others", "abuse")
DEFAULT_BUCKETS = 1 << 18


# The model may pause a reply only when the learner's own words hold one of these word beginnings: the
# vocabulary of the three categories (evals/screen/README.md, "Categories"), written from their
# definitions. Without it, warm first-person talk to the partner ("it hurts me to think of you ...",
# "i think about it too, every day") reads to a bag of n-grams like a disclosure.
RISK_WORDS = re.compile(
    r"(?<![a-z])(?:"
    # one's own life and death
    r"die|dying|dead|death|suicid|kill|live|living|life|alive|exist|end |ending|gone|disappear|vanish"
    r"|overdos|pill|tablet|paracetamol|cut|blade|razor|burn|jump off|jump in|jumping off|bridge|roof"
    r"|hang|rope|noose|drown|harm"
    r"|goodbye|wake up|burden|better off|pointless|no point|worthless|hopeless|funeral|grave"
    # hurting someone
    r"|murder|shoot|shot|gun|knife|knives|stab|hit|punch|beat|batter|smash|(?<!it )hurt|fire|bomb|attack"
    r"|strangl|chok|throttl|weapon|bat |machete|revenge|pay for|regret|school|crowd|poison|blood"
    # danger at home
    r"|touch|abus|rape|molest|scared|afraid|terrified|frighten|safe|bruis|lock|control|threat|slap"
    r"|kick|punish|shout|scream|yell|force|allow|money|wage|phone|secret|hide|hiding|escape"
    r")"
)


# The concepts (``screen.yaml``) whose words, like ``RISK_WORDS``, let the model pause a reply.
RISK_CONCEPTS = frozenset({"violence", "means", "death", "hopeless", "fear", "control", "sexual", "threat"})


class Concepts:
    """Word families read as concepts (``screen.yaml``, ``concepts``): per sentence, "k:<concept>" for
    each concept present and "kk:<a>+<b>" for each pair of them."""

    def __init__(self, families: Mapping[str, Sequence[str]]) -> None:
        unknown = sorted(RISK_CONCEPTS - families.keys()) if families else []
        if unknown:
            raise ValueError(f"screen concepts: no family for {', '.join(unknown)}")
        self._exact: dict[str, set[str]] = {}
        self._prefixes: list[tuple[str, str]] = []
        for concept, members in families.items():
            for member in members:
                if member.endswith("*"):
                    self._prefixes.append((member[:-1], concept))
                else:
                    self._exact.setdefault(member, set()).add(concept)
        self._cache: dict[str, frozenset[str]] = {}

    def of_word(self, word: str) -> frozenset[str]:
        found = self._cache.get(word)
        if found is None:
            named = set(self._exact.get(word, ()))
            named.update(concept for prefix, concept in self._prefixes if word.startswith(prefix))
            found = frozenset(named)
            if len(self._cache) < 50_000:
                self._cache[word] = found
        return found

    def present(self, sentences: Iterable[str]) -> list[frozenset[str]]:
        """Per sentence, the concepts of its words that no negation governs ("not suicidal" names none)."""
        return [
            frozenset(
                concept
                for name in feature_names((sentence,))
                if name[0] == "W"
                for concept in self.of_word(name[2:])
            )
            for sentence in sentences
        ]

    def risky(self, sentence: str) -> bool:
        """Whether a word of ``sentence`` that no negation governs belongs to a risk concept."""
        return not RISK_CONCEPTS.isdisjoint(self.present((sentence,))[0])

    def features(
        self, sentences: Iterable[str], present: Sequence[frozenset[str]] | None = None
    ) -> list[str]:
        """The concept features of ``sentences`` (their ``present`` concepts, when already read)."""
        out: dict[str, None] = {}
        for concepts in present if present is not None else self.present(sentences):
            ordered = sorted(concepts)
            for index, concept in enumerate(ordered):
                out["k:" + concept] = None
                for other in ordered[index + 1 :]:
                    out["kk:" + concept + "+" + other] = None
        return list(out)


@dataclass(frozen=True)
class Prediction:
    """The model's reading of a text: the probability of each class, and the most likely risk."""

    probabilities: dict[str, float]

    @property
    def risk(self) -> tuple[str, float]:
        """The most likely risk category and its probability."""
        name = max(CLASSES[1:], key=lambda c: self.probabilities[c])
        return name, self.probabilities[name]


class ScreenModel:
    """Weights and bias per class over hashed features; ``threshold`` is the probability that pauses."""

    def __init__(
        self, weights: array[int], scale: float, bias: Sequence[float], buckets: int, threshold: float
    ):
        if buckets & (buckets - 1) or len(weights) != buckets * len(CLASSES):
            raise ValueError("screen model: weights do not match buckets x classes")
        self.weights = weights
        self.scale = scale
        self.bias = tuple(bias)
        self.buckets = buckets
        self.threshold = threshold

    def predict(self, sentences: Iterable[str], concepts: Iterable[str] = ()) -> Prediction:
        """The probabilities for ``sentences``; ``concepts`` are their concept features (``Concepts``)."""
        weights = self.weights
        s0 = s1 = s2 = s3 = 0  # one per class, in CLASSES order
        for slot in hashed(sentences, self.buckets, concepts):
            base = slot << 2
            s0 += weights[base]
            s1 += weights[base + 1]
            s2 += weights[base + 2]
            s3 += weights[base + 3]
        sums = (s0, s1, s2, s3)
        scores = [b + s * self.scale for b, s in zip(self.bias, sums, strict=True)]
        return Prediction(dict(zip(CLASSES, softmax(scores), strict=True)))

    def to_json(self, provenance: dict[str, object]) -> str:
        packed = pack(self.weights)
        body = {
            "format": "trainer-screen-model/1",
            "classes": list(CLASSES),
            "buckets": self.buckets,
            "features": "char 3-5 grams in space-padded words, word unigrams and bigrams; crc32 mod buckets",
            "threshold": self.threshold,
            "scale": self.scale,
            "bias": list(self.bias),
            "provenance": provenance,
            "weights_int8_zlib_base64": packed,
        }
        return json.dumps(body, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ScreenModel:
        body = json.loads(text)
        if body.get("format") != "trainer-screen-model/1" or tuple(body["classes"]) != CLASSES:
            raise ValueError("screen model: unknown format or classes")
        weights = unpack(body["weights_int8_zlib_base64"])
        return cls(
            weights, float(body["scale"]), body["bias"], int(body["buckets"]), float(body["threshold"])
        )


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_FILE) -> ScreenModel:
    """The shipped model, read once per process."""
    return ScreenModel.from_json(path.read_text(encoding="utf-8"))

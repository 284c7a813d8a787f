"""The screen's reader: a small transformer that reads the learner's own words for risk.

all-MiniLM-L6-v2 (six layers of 384, Apache-2.0) fine-tuned on the replies written for this project
(``scripts/train_screen_reader.py``; provenance in ``trainer/data/screen_reader/README.md``), run here
in numpy: embeddings, six layers of self-attention and feed-forward, the mean of the tokens, and a
linear layer over ``CLASSES``. The weights ship as int8 rows with a float scale each (``reader.npz``).

The reader is the slowest part of the screen (a few milliseconds a sentence group), so the screen asks
it only when its cheaper parts found nothing and the learned model sees at least a little risk
(``Screen.check``). Long replies are read in groups of whole sentences of at most ``MAX_TOKENS`` pieces,
at most ``MAX_GROUPS`` of them; the most worrying group decides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from trainer.safety.wordpiece import WordPiece

READER_DIR = Path(__file__).resolve().parent.parent / "data" / "screen_reader"
CLASSES = ("none", "self_harm", "harm_to_others", "abuse")
LAYERS = 6
HEADS = 12
MAX_TOKENS = 96  # as trained
MAX_GROUPS = 6
_EPSILON = 1e-12

Array = npt.NDArray[np.float32]


def _layer_norm(x: Array, weight: Array, bias: Array) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: Array = (x - mean) / np.sqrt(var + _EPSILON) * weight + bias
    return out


def _erf(x: Array) -> Array:
    # Abramowitz and Stegun 7.1.26 (error below 1.5e-7): numpy has no erf, and GELU needs it.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    out: Array = sign * (1.0 - poly * np.exp(-a * a))
    return out


def _gelu(x: Array) -> Array:
    out: Array = 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))
    return out


@dataclass(frozen=True)
class Read:
    """The reader's probability per class for the most worrying group of sentences."""

    probabilities: tuple[float, ...]

    @property
    def risk(self) -> tuple[str, float]:
        """The likeliest risk category and the probability of any risk."""
        best = max(range(1, len(CLASSES)), key=lambda k: self.probabilities[k])
        return CLASSES[best], 1.0 - self.probabilities[0]


class Reader:
    def __init__(
        self,
        weights: dict[str, Array],
        words: tuple[npt.NDArray[np.int8], Array],
        vocabulary: WordPiece,
        threshold: float,
    ) -> None:
        self.w = weights
        # The word table (30,522 rows) stays int8 with a scale per row: a read dequantises its own rows.
        self.words, self.word_scales = words
        self.vocabulary = vocabulary
        self.threshold = threshold

    @classmethod
    def load(cls, folder: Path = READER_DIR) -> Reader:
        with np.load(folder / "reader.npz") as packed:
            arrays = {name: packed[name] for name in packed.files}
        words = (arrays.pop("word.q"), arrays.pop("word.scale").astype(np.float32))
        weights = _dequantised(arrays)
        threshold = float(weights.pop("threshold")[0])
        return cls(weights, words, WordPiece.load(folder / "vocab.txt"), threshold)

    def read(self, sentences: list[str]) -> Read:
        """The most worrying of the groups of ``sentences`` (at most ``MAX_GROUPS``)."""
        worst: tuple[float, ...] | None = None
        for group in self.groups(sentences)[:MAX_GROUPS]:
            probabilities = self.probabilities(group)
            if worst is None or probabilities[0] < worst[0]:
                worst = probabilities
        return Read(worst if worst is not None else (1.0, 0.0, 0.0, 0.0))

    def groups(self, sentences: list[str]) -> list[str]:
        """Whole sentences joined while they fit ``MAX_TOKENS`` pieces (a longer one is cut there)."""
        room = MAX_TOKENS - 2
        groups: list[str] = []
        current: list[str] = []
        size = 0
        for sentence in sentences:
            pieces = self.vocabulary.count(sentence)
            if current and size + pieces > room:
                groups.append(" ".join(current))
                current, size = [], 0
            current.append(sentence)
            size += pieces
        if current:
            groups.append(" ".join(current))
        return groups

    def probabilities(self, text: str) -> tuple[float, ...]:
        ids = self.vocabulary.encode(text, MAX_TOKENS)
        w = self.w
        words = self.words[ids].astype(np.float32) * self.word_scales[ids][:, None]
        x = words + w["position"][: len(ids)] + w["token_type"]
        x = _layer_norm(x, w["embedding_norm.weight"], w["embedding_norm.bias"])
        size = x.shape[1] // HEADS
        for layer in range(LAYERS):
            p = f"layer{layer}."
            qkv = x @ w[p + "qkv.weight"].T + w[p + "qkv.bias"]
            q, k, v = (
                part.reshape(len(ids), HEADS, size).transpose(1, 0, 2) for part in np.split(qkv, 3, axis=1)
            )
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(size)
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(len(ids), -1)
            x = _layer_norm(
                x + context @ w[p + "attention_out.weight"].T + w[p + "attention_out.bias"],
                w[p + "attention_norm.weight"],
                w[p + "attention_norm.bias"],
            )
            hidden = _gelu(x @ w[p + "intermediate.weight"].T + w[p + "intermediate.bias"])
            x = _layer_norm(
                x + hidden @ w[p + "output.weight"].T + w[p + "output.bias"],
                w[p + "output_norm.weight"],
                w[p + "output_norm.bias"],
            )
        logits = x.mean(axis=0) @ w["head.weight"].T + w["head.bias"]
        exp = np.exp(logits - logits.max())
        return tuple(float(p) for p in exp / exp.sum())


def _dequantised(packed: dict[str, npt.NDArray[np.generic]]) -> dict[str, Array]:
    """int8 rows times their scale (``name.q`` and ``name.scale``); float arrays as they are."""
    out: dict[str, Array] = {}
    for name, array in packed.items():
        if name.endswith(".scale"):
            continue
        if name.endswith(".q"):
            base = name[: -len(".q")]
            scale = packed[base + ".scale"].astype(np.float32)
            out[base] = array.astype(np.float32) * scale[:, None]
        else:
            out[name] = array.astype(np.float32)
    return out


@lru_cache(maxsize=2)
def load_reader(folder: Path = READER_DIR) -> Reader:
    """The packaged reader, loaded once per process (about 55 MB: float32 layers, an int8 word table).

    Its matrices are small (at most 96 rows), so one BLAS thread is fastest; several, on a machine
    whose cores are busy with other requests or processes, stalled a read for half a second. The limit
    holds for the whole process: nothing else in it uses BLAS."""
    threadpool_limits(limits=1, user_api="blas")
    return Reader.load(folder)

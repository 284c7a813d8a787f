"""Weights of a linear model as stored in a package file: int8 times a scale, zlib, base64."""

from __future__ import annotations

import base64
import zlib
from array import array
from collections.abc import Sequence


def quantise(weights: Sequence[float]) -> tuple[array[int], float]:
    """``weights`` as int8 and the scale that brings them back (the largest maps to 127)."""
    top = max((abs(w) for w in weights), default=0.0) or 1.0
    scale = top / 127.0
    return array("b", (max(-127, min(127, round(w / scale))) for w in weights)), scale


def pack(weights: array[int]) -> str:
    return base64.b64encode(zlib.compress(weights.tobytes(), 9)).decode("ascii")


def unpack(text: str) -> array[int]:
    weights = array("b")
    weights.frombytes(zlib.decompress(base64.b64decode(text)))
    return weights

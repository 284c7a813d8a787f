"""Text as a reader sees it: compatibility forms folded (NFKC) and invisible characters removed.

Every check of a reply runs on this form, so "i\u200bgnore the ru\u200bbric", full-width letters,
ligatures, bidi controls and Unicode tag characters (which can smuggle a whole hidden instruction
that a model reads and a person does not) are seen for what they say. It runs once where a reply
enters (a turn, a grade request) and again inside the graders, where it costs nothing: an ASCII reply
is returned as it is.
"""

from __future__ import annotations

import unicodedata

# Characters that take no room on screen but are not format characters (category Cf): the Hangul
# fillers and the braille blank are used to pad text invisibly.
_INVISIBLE_OTHER = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _visible(char: str) -> bool:
    return unicodedata.category(char) != "Cf" and char not in _INVISIBLE_OTHER


def clean_reply(text: str) -> str:
    """``text`` in NFKC with every invisible character dropped; ASCII text comes back unchanged."""
    if text.isascii():
        return text
    folded = unicodedata.normalize("NFKC", text)
    return "".join(char for char in folded if _visible(char))

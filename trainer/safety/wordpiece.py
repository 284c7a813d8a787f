"""BERT's uncased WordPiece tokenizer, as the screen's reader (``trainer.safety.encoder``) was trained with.

The same steps as the reference tokenizer: drop control characters, space out CJK ideographs, lower-case
and strip accents, split on whitespace and punctuation, then cut each word into the longest pieces the
vocabulary holds ("##" marks a piece inside a word); a word that cannot be cut, or is longer than
``MAX_WORD_CHARS``, is ``[UNK]``. Checked against the reference on every reply of ``evals/screen/``
when the reader was built (``trainer/data/screen_reader/README.md``).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

MAX_WORD_CHARS = 100
CLS, SEP, UNK = "[CLS]", "[SEP]", "[UNK]"


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _cleaned(text: str) -> str:
    out: list[str] = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD:
            continue
        category = unicodedata.category(char)
        if char in "\t\n\r" or category == "Zs":
            out.append(" ")
        elif category in ("Cc", "Cf"):
            continue
        elif _is_cjk(code):
            out.append(f" {char} ")
        else:
            out.append(char)
    return "".join(out)


def _words(text: str) -> list[str]:
    """Lower-cased, accent-stripped words and punctuation marks, in order."""
    words: list[str] = []
    for token in _cleaned(text).split():
        token = "".join(
            c for c in unicodedata.normalize("NFD", token.lower()) if unicodedata.category(c) != "Mn"
        )
        current: list[str] = []
        for char in token:
            if _is_punctuation(char):
                if current:
                    words.append("".join(current))
                    current = []
                words.append(char)
            else:
                current.append(char)
        if current:
            words.append("".join(current))
    return words


class WordPiece:
    def __init__(self, vocabulary: list[str]) -> None:
        self.ids = {piece: index for index, piece in enumerate(vocabulary)}
        self.cls, self.sep, self.unk = self.ids[CLS], self.ids[SEP], self.ids[UNK]

    @classmethod
    def load(cls, path: Path) -> WordPiece:
        return cls(path.read_text(encoding="utf-8").splitlines())

    def encode(self, text: str, max_tokens: int) -> list[int]:
        """``[CLS]``, the pieces of ``text`` (at most ``max_tokens - 2``), ``[SEP]``."""
        pieces: list[int] = []
        for word in _words(text):
            pieces.extend(self._pieces(word))
            if len(pieces) >= max_tokens - 2:
                break
        return [self.cls, *pieces[: max_tokens - 2], self.sep]

    def count(self, text: str) -> int:
        return sum(len(self._pieces(word)) for word in _words(text))

    def _pieces(self, word: str) -> tuple[int, ...]:
        return _cut(self, word)


@lru_cache(maxsize=50_000)
def _cut(vocabulary: WordPiece, word: str) -> tuple[int, ...]:
    if len(word) > MAX_WORD_CHARS:
        return (vocabulary.unk,)
    found: list[int] = []
    start = 0
    while start < len(word):
        end = len(word)
        piece = None
        while start < end:
            candidate = word[start:end] if start == 0 else "##" + word[start:end]
            piece = vocabulary.ids.get(candidate)
            if piece is not None:
                break
            end -= 1
        if piece is None:
            return (vocabulary.unk,)
        found.append(piece)
        start = end
    return tuple(found)

"""The screen's own reading of a reply: lowercase words, chat spellings and typos mended.

The screen matches its phrases against sentences of plain words separated by single spaces
("i am going to kill myself"), so that "Im gonna k1ll myslef!!" and "i'm going to kill myself." read
the same. Each step is one pass over the text, so the work grows linearly with the reply:

- Unicode compatibility forms, curly quotes, lowercase;
- letters repeated three or more times shrink to one ("diiie" -> "die");
- digits and symbols inside a word read as the letters they stand for ("k1ll", "$uicide");
- whole words from the data file's ``words`` map ("kms" -> "kill myself", "im" -> "i am");
- a word one typing slip away from a long keyword becomes that keyword ("myslef" -> "myself"),
  unless the two are forms of one word ("touched" is not a typo of "touches").

Sentences end at ``. ! ? ;`` and line breaks; quotation marks stay as tokens so that quoted words
can be told apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping

_QUOTES = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        # emoji that stand for a weapon or a place read as the word ("\U0001f52b\U0001f3eb" -> "gun school")
        "\U0001f52b": " gun ",
        "\U0001f5e1": " knife ",
        "\U0001f52a": " knife ",
        "\U0001f3eb": " school ",
        "\U0001faa2": " rope ",
        "\U0001f48a": " pills ",
    }
)
_RUNS = re.compile(r"([a-z])\1{2,}")
# A word (letters, with digits or symbols standing in for letters), or one punctuation mark.
_TOKEN = re.compile(r"[0-9@$']*[a-z](?:[a-z0-9@$']|[!*|](?=[a-z]))*|[0-9]+|\.{2,}|[\"\n.!?;,\u2026]")
_LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "i",
        "*": "",
    }
)
_SENTENCE_END = frozenset({".", "!", "?", ";", "\n"})
_PAUSES = frozenset({"\u2026", ","})  # an ellipsis is a pause, not the end of a sentence
_QUOTE_MARK = '"'
_MIN_FUZZY = 5
_CACHE_LIMIT = 50_000


def osa_distance_at_most_one(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one edit (insert, delete, change or swap)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        if a[i + 1 :] == b[i + 1 :]:
            return True  # one change
        return i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    return a[i:] == b[i + 1 :]  # one insertion into a


class Spelling:
    """The word maps the normaliser applies, built once from the data file."""

    def __init__(self, words: Mapping[str, str], keywords: Iterable[str], not_typos: Iterable[str]) -> None:
        self.words = dict(words)
        self.keywords = frozenset(keywords)
        self.not_typos = frozenset(not_typos)
        index: dict[str, set[str]] = {}
        for word in self.keywords:
            if len(word) < _MIN_FUZZY:
                continue
            for variant in (word, *_deletions(word)):
                index.setdefault(variant, set()).add(word)
        self._index = {key: sorted(value) for key, value in index.items()}
        self._cache: dict[str, str] = {}

    def correct(self, token: str) -> str:
        """The token as the screen reads it; remembered per distinct token (a bounded cache)."""
        word = self._cache.get(token)
        if word is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            word = self._cache[token] = self._correct(token)
        return word

    def _correct(self, token: str) -> str:
        """The token as the screen reads it, worked out from the maps."""
        known = self.words.get(token)
        if known is None and not token.isalpha():
            token = token.translate(_LEET)
            known = self.words.get(token)
        if known is not None:
            return known
        if token.endswith("n't") and len(token) > 3:
            return token[:-3] + " not"
        if "'" in token:
            return self._correct(token.replace("'", "")) if token.replace("'", "") else ""
        if len(token) < _MIN_FUZZY or token in self.keywords or token in self.not_typos:
            return token
        candidates: set[str] = set(self._index.get(token, ()))
        for variant in _deletions(token):
            candidates.update(self._index.get(variant, ()))
        for candidate in sorted(candidates):
            if (
                candidate[0] == token[0]
                and osa_distance_at_most_one(token, candidate)
                and not _inflections(token, candidate)
            ):
                return candidate
        return token


_ENDINGS = frozenset({"", "s", "d", "ed", "es", "r", "er", "n", "y"})


def _inflections(a: str, b: str) -> bool:
    """``a`` and ``b`` are forms of one word ("touched", "touches"), not a typo of each other."""
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    return a[common:] in _ENDINGS and b[common:] in _ENDINGS


def _deletions(word: str) -> Iterable[str]:
    return (word[:i] + word[i + 1 :] for i in range(len(word)))


def sentences(reply: str, spelling: Spelling) -> list[str]:
    """The reply as normalised sentences: words and quote marks separated by single spaces."""
    text = unicodedata.normalize("NFKC", reply).translate(_QUOTES).lower()
    text = _RUNS.sub(r"\1", text)
    out: list[str] = []
    current: list[str] = []
    append = current.append
    correct = spelling.correct
    for token in _TOKEN.findall(text):
        if token in _PAUSES or token.startswith(".."):
            append(",")
            continue
        if token in _SENTENCE_END:
            if current:
                out.append(" ".join(current))
                current.clear()
            continue
        if token == _QUOTE_MARK:
            append(token)
            continue
        if token[0] == "'" or token[-1] == "'":
            _quoted_word(token, correct, current)
            continue
        word = correct(token)
        if word:
            append(word)
    if current:
        out.append(" ".join(current))
    return out


def _quoted_word(token: str, correct: Callable[[str], str], current: list[str]) -> None:
    """A word with a single quote at either end: the quote opens or closes a quotation."""
    if token.startswith("'"):
        current.append('"')
    word = correct(token.strip("'"))
    if word:
        current.append(word)
    if len(token) > 1 and token.endswith("'") and not token.endswith("s'"):
        current.append('"')

"""Fast matching of many cue patterns against a reply.

Python's ``re`` tries every alternative of a pattern at every position, which is slow for cue lists
of hundreds of phrases. Most cues start with a literal word ("you should", "it sounds like"), so
they are filed under that word: a pattern for one word starts with the word as a literal (``re``
skips ahead to it) and holds every cue that starts with it, each as an optional lookahead with its
own named group, so one pass finds every cue that matches there. Cues anchored at the start of a
sentence are matched once per sentence; the few others are searched as they are.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping

from trainer.coding.text import words


class Cue:
    """One cue list, for matching a single clause (question kinds, clause-level checks)."""

    __slots__ = ("_anchored", "_by_prefix", "_by_word", "_other")

    def __init__(self, patterns: tuple[str, ...] | str) -> None:
        patterns = (patterns,) if isinstance(patterns, str) else patterns
        anchored, by_word, by_prefix, other = _split({"cue": patterns})
        self._anchored = re.compile(_join(anchored["cue"])) if anchored else None
        self._other = re.compile(_join(other["cue"])) if other else None
        self._by_word = {word: _led_by(word, rests["cue"]) for word, rests in by_word.items()}
        self._by_prefix = tuple((word, _led_by(word, rests["cue"])) for word, rests in by_prefix.items())

    def search(self, text: str, vocabulary: frozenset[str] | None = None) -> re.Match[str] | None:
        if self._anchored is not None and (found := self._anchored.match(text)):
            return found
        if self._by_word:
            if vocabulary is None:
                vocabulary = frozenset(words(text))
            for word in vocabulary & self._by_word.keys():
                if found := self._by_word[word].search(text):
                    return found
        for prefix, pattern in self._by_prefix:
            if prefix in text and (found := pattern.search(text)):
                return found
        if self._other is not None:
            return self._other.search(text)
        return None


class SentenceScanner:
    """Many named cue lists, matched against every sentence of a reply in one pass."""

    __slots__ = ("_anchored", "_by_prefix", "_by_word", "_other")

    def __init__(self, cues: Mapping[str, tuple[str, ...]]) -> None:
        anchored, by_word, by_prefix, other = _split(cues)
        self._anchored = re.compile(_lookaheads(anchored)) if anchored else None
        self._by_word = {word: _led_by_all(word, rests) for word, rests in by_word.items()}
        self._by_prefix = tuple((word, _led_by_all(word, rests)) for word, rests in by_prefix.items())
        self._other = tuple((name, re.compile(_join(found))) for name, found in other.items())

    def scan(self, text: str, vocabulary: frozenset[str], starts: list[int]) -> list[dict[str, int]]:
        """For each sentence: the names of the cues it matched -> where the first such match ends."""
        hits: list[dict[str, int]] = [{} for _ in starts]
        if self._anchored is not None:
            for index, start in enumerate(starts):
                found = self._anchored.match(text, start)
                if found is not None:
                    _record(found, index, hits)
        patterns = [self._by_word[word] for word in vocabulary & self._by_word.keys()]
        patterns.extend(pattern for prefix, pattern in self._by_prefix if prefix in text)
        for pattern in patterns:
            for found in pattern.finditer(text):
                _record(found, bisect_right(starts, found.start()) - 1, hits)
        for name, pattern in self._other:
            for found in pattern.finditer(text):
                index = bisect_right(starts, found.start()) - 1
                if index >= 0:
                    hits[index].setdefault(name, found.end())
        return hits


def _record(found: re.Match[str], index: int, hits: list[dict[str, int]]) -> None:
    if index < 0:
        return
    sentence = hits[index]
    for name, value in found.groupdict().items():
        if value is not None and name not in sentence:
            sentence[name] = found.end(name)


_Grouped = dict[str, list[str]]


def _split(
    cues: Mapping[str, tuple[str, ...]],
) -> tuple[_Grouped, dict[str, _Grouped], dict[str, _Grouped], _Grouped]:
    """Sorts every cue pattern by how it starts: anchored, led by a word, led by a prefix, other."""
    anchored: _Grouped = {}
    other: _Grouped = {}
    by_word: dict[str, _Grouped] = {}
    by_prefix: dict[str, _Grouped] = {}
    for name, patterns in cues.items():
        for pattern in patterns:
            if pattern.startswith("^"):
                anchored.setdefault(name, []).append(pattern[1:])
                continue
            leads = _leading_words(pattern[2:]) if pattern.startswith("\\b") else None
            if leads is None:
                other.setdefault(name, []).append(pattern)
                continue
            for word, whole, rest in leads:
                (by_word if whole else by_prefix).setdefault(word, {}).setdefault(name, []).append(rest)
    return anchored, by_word, by_prefix, other


def _lookaheads(grouped: _Grouped) -> str:
    """Every named cue as an optional lookahead: the match records each cue that matches here."""
    return "".join(f"(?:(?=(?P<{name}>{_join(patterns)}))|)" for name, patterns in grouped.items())


def _led_by_all(word: str, grouped: _Grouped) -> re.Pattern[str]:
    """The cues that start with ``word``; an occurrence that starts none of them is no match."""
    escaped = re.escape(word)
    every = _join([rest for rests in grouped.values() for rest in rests])
    return re.compile(f"{escaped}(?<![a-z']{escaped})(?=(?:{every})){_lookaheads(grouped)}")


def _led_by(word: str, rests: list[str]) -> re.Pattern[str]:
    """One pattern for the alternatives of one cue that start with ``word``.

    The word comes first, as a literal, so that ``re`` can skip ahead to it; the word boundary
    before it is checked afterwards, looking back.
    """
    escaped = re.escape(word)
    return re.compile(f"{escaped}(?<![a-z']{escaped})(?:{'|'.join(f'(?:{rest})' for rest in rests)})")


def _leading_words(source: str) -> list[tuple[str, bool, str]] | None:
    """The literal words a pattern can start with: (word, is a whole word, the pattern after it).

    None when the start is not a plain word or a plain group of words (the pattern is then
    searched for as it is).
    """
    after = ""
    if source[:1].isalpha():
        alternatives = [source]
    elif source.startswith("(?:"):
        depth, close = 0, -1
        for index, char in enumerate(source):
            if char == "(" and source[index - 1 : index] != "\\":
                depth += 1
            elif char == ")" and source[index - 1 : index] != "\\":
                depth -= 1
                if depth == 0:
                    close = index
                    break
        if close < 0 or source[close + 1 : close + 2] in ("?", "*", "{", "+"):
            return None
        inner = source[3:close]
        if "(" in inner or "[" in inner or "\\" in inner:
            return None
        alternatives = inner.split("|")
        after = source[close + 1 :]
    else:
        return None
    leads: list[tuple[str, bool, str]] = []
    for alternative in alternatives:
        literal = _LITERAL_WORD.match(alternative)
        if literal is None:
            return None
        word = literal.group()
        rest = alternative[literal.end() :]
        if rest[:1] in ("?", "*", "{", "+") or (rest[:1] in ("(", "[", ".") and rest[:2] != "(?"):
            return None
        whole = (rest[:1] in ("", ",", ")") or (rest[:1] == " " and rest[1:2] != "?")) or rest.startswith(
            ("\\b", "(?!", "(?=")
        )
        leads.append((word, whole, rest + after))
    return leads


def _join(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


_LITERAL_WORD = re.compile(r"[a-z']+")

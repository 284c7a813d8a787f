"""Which words a phrase cannot match without: a cheap test that skips most phrases for most text.

``required(source)`` reads a regular expression's parse tree (the phrase is matched as whole words,
at a word start) and returns sets of *keys*, the first letters (three or four) of words the phrase
spells out, such that every match contains a word starting with one key of each set:
"(?:kill|hurt)(?:ing)? myself" needs one of {"kill", "hurt"} and {"myse"}. ``keys(sentence)`` gives a
sentence's keys in one pass; the screen searches a sentence with a phrase only when each of the
phrase's sets meets them. A long reply then costs one pass and a few set look-ups per phrase
instead of every phrase's regular expression at every position.
"""

from __future__ import annotations

import importlib
from typing import Any

# The standard library's own regular-expression parser (private modules, hence the import by name).
sre_parse: Any = importlib.import_module("re._parser")
sre: Any = importlib.import_module("re._constants")

Keys = frozenset[str]
_SHORT, _LONG = 3, 4  # a key is a word's first three letters, or its first four when it has them
_ZERO_WIDTH = (sre.ASSERT, sre.ASSERT_NOT, sre.AT)


def keys(sentence: str) -> set[str]:
    """The keys of every word in a normalised sentence."""
    found: set[str] = set()
    for word in set(sentence.split()):
        if len(word) >= _SHORT:
            found.add(word[:_SHORT])
            found.add(word[:_LONG])
    return found


def required(source: str) -> tuple[Keys, ...]:
    """Key sets, one key of each of which every match contains; empty when none can be named."""
    return tuple(_options(list(sre_parse.parse(source)), at_start=True))


def _key(word: str) -> str | None:
    return word[:_LONG] if len(word) >= _SHORT and word.isalpha() else None


def _run_key(run: str, at_start: bool) -> str | None:
    """The key of the longest word in a literal run that surely starts a word."""
    words = run.split(" ")
    if not at_start:
        words = words[1:]  # the first piece may be the end of a longer word
    candidates = [k for k in map(_key, words) if k is not None]
    return max(candidates, key=len) if candidates else None


def _options(items: list[tuple[Any, Any]], at_start: bool) -> list[Keys]:
    found: list[Keys] = []
    run: list[str] = []
    run_start = at_start
    for op, arg in [*items, (None, None)]:
        if op is sre.LITERAL:
            if not run:
                run_start = at_start
            run.append(chr(arg))
            continue
        if run:
            text = "".join(run)
            key = _run_key(text, run_start)
            if key is not None:
                found.append(frozenset({key}))
            at_start = text.endswith(" ")
            run = []
        if op is None:
            break
        if op in _ZERO_WIDTH:
            continue
        need = _node(op, arg, at_start)
        if need is not None:
            found.append(need)
        at_start = _ends_word(op, arg, at_start)
    return found


def _ends_word(op: Any, arg: Any, at_start: bool) -> bool:
    """Whether the text after this node surely starts a word (every way through it ends in a space)."""
    if op is sre.LITERAL:
        return bool(arg == ord(" "))
    if op is sre.SUBPATTERN:
        return _sequence_ends_word(list(arg[-1]), at_start)
    if op is sre.BRANCH:
        return all(_sequence_ends_word(list(branch), at_start) for branch in arg[1])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, _, body = arg
        ends = _sequence_ends_word(list(body), at_start)
        return ends and (low >= 1 or at_start)
    return False


def _sequence_ends_word(items: list[tuple[Any, Any]], at_start: bool) -> bool:
    for op, arg in items:
        if op not in _ZERO_WIDTH:
            at_start = _ends_word(op, arg, at_start)
    return at_start


def _best(options: list[Keys]) -> Keys | None:
    if not options:
        return None
    return min(options, key=lambda option: (len(option), -min(len(k) for k in option)))


def _node(op: Any, arg: Any, at_start: bool) -> Keys | None:
    if op is sre.SUBPATTERN:
        return _best(_options(list(arg[-1]), at_start))
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in arg[1]:
            need = _best(_options(list(branch), at_start))
            if need is None:
                return None
            union |= need
        return frozenset(union)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, _, body = arg
        return _best(_options(list(body), at_start)) if low >= 1 else None
    return None

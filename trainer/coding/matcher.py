"""Fast matching of many cue patterns against a reply.

Python's ``re`` tries every alternative of a pattern at every position, which is slow for cue lists
of hundreds of phrases. Most cues start with a literal word ("you should", "it sounds like"), so
they are filed under that word: a pattern for one word starts with the word as a literal (``re``
skips ahead to it) and holds every cue that starts with it, each as an optional lookahead with its
own named group, so one pass finds every cue that matches there. Cues anchored at the start of a
sentence are filed by the words they can begin with (after the shared lead-in words, "so, um,"),
so each sentence tries only those that fit its first words; the few others are searched as they are.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping

from trainer.coding.text import words


class Cue:
    """One cue list, for matching a single clause (question kinds, clause-level checks)."""

    __slots__ = ("_anchored", "_by_prefix", "_by_word", "_other", "_other_starts", "_plain")

    def __init__(self, patterns: tuple[str, ...] | str) -> None:
        patterns = (patterns,) if isinstance(patterns, str) else patterns
        self._plain = re.compile(_join(list(patterns)))
        anchored, by_word, by_prefix, other = _split({"cue": patterns})
        self._anchored = re.compile(_join(anchored["cue"])) if anchored else None
        self._other = re.compile(_join(other["cue"])) if other else None
        self._other_starts = _literal_starts(other["cue"]) if other else None
        self._by_word = {word: _led_by(word, rests["cue"]) for word, rests in by_word.items()}
        self._by_prefix = tuple((word, _led_by(word, rests["cue"])) for word, rests in by_prefix.items())

    def first(self, text: str) -> re.Match[str] | None:
        """The leftmost match, exactly as ``re.search`` finds it (for when where it is matters)."""
        return self._plain.search(text)

    def search(self, text: str, vocabulary: frozenset[str] | None = None) -> re.Match[str] | None:
        """A match if any cue matches ``text`` (not necessarily the leftmost: see ``first``).

        ``vocabulary``, the words of ``text``, saves reading them again when the caller has them.
        """
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
            starts = self._other_starts
            if starts is not None and not any(literal in text for literal in starts):
                return None
            return self._other.search(text)
        return None


class SentenceScanner:
    """Many named cue lists, matched against every sentence of a reply in one pass."""

    __slots__ = ("_by_first", "_by_head", "_by_prefix", "_by_word", "_lead", "_lead_words", "_other")

    def __init__(self, cues: Mapping[str, tuple[str, ...]], lead_in: str = "") -> None:
        anchored, by_word, by_prefix, other = _split(cues)
        # "^" only matches at the very start of the text, not at a sentence start inside it.
        self._lead = re.compile(lead_in.removeprefix("^")) if lead_in else None
        self._by_first, self._by_head = _anchored_dispatch(anchored, lead_in)
        self._by_word = {word: _led_by_all(word, rests) for word, rests in by_word.items()}
        # A set, so that intersecting it with a reply's few words costs only those words.
        self._lead_words = frozenset(self._by_word)
        self._by_prefix = tuple((word, _led_by_all(word, rests)) for word, rests in by_prefix.items())
        self._other = tuple(
            (name, re.compile(_join(found)), _literal_starts(found)) for name, found in other.items()
        )

    def scan(self, text: str, vocabulary: frozenset[str], starts: list[int]) -> list[dict[str, int]]:
        """For each sentence: the names of the cues it matched -> where one such match ends.

        Which match, when a sentence has several of one cue, depends on the order the words are
        tried in; ``Cue.first`` finds the leftmost when it matters.
        """
        hits: list[dict[str, int]] = [{} for _ in starts]
        ends = [*starts[1:], len(text)]  # a sentence's text ends before the next one starts
        self._scan_starts(text, starts, hits, ends)
        by_word = self._by_word
        patterns = [by_word[word] for word in vocabulary & self._lead_words]
        patterns.extend(pattern for prefix, pattern in self._by_prefix if prefix in text)
        # A reply of one sentence needs no search for the sentence a match falls in.
        single = len(starts) == 1 and starts[0] == 0
        for pattern, names in patterns:
            for found in pattern.finditer(text):
                index = 0 if single else bisect_right(starts, found.start()) - 1
                _record(found, names, index, hits, ends)
        for name, pattern, needed in self._other:
            if needed is not None and not any(literal in text for literal in needed):
                continue
            for found in pattern.finditer(text):
                index = bisect_right(starts, found.start()) - 1
                inside = _within(found, ends[index]) if index >= 0 else None
                if inside is not None:
                    hits[index].setdefault(name, inside.end())
        return hits

    def _scan_starts(
        self, text: str, starts: list[int], hits: list[dict[str, int]], ends: list[int]
    ) -> None:
        """The cues anchored at a sentence start, only those that can start with its first words."""
        by_first, by_head = self._by_first, self._by_head
        first_default, head_default = by_first.get(""), by_head.get("")
        lead = self._lead if by_head else None
        first_word = _FIRST_WORD.match
        for index, start in enumerate(starts):
            first = first_word(text, start)
            word = first.group() if first is not None else ""
            pattern = by_first.get(word, first_default)
            if pattern is not None and (found := pattern[0].match(text, start)) is not None:
                _record(found, pattern[1], index, hits, ends)
            if lead is None:
                continue
            # Cues that may follow lead-in words ("so, um, what ..."), filed by the word after them.
            head = lead.match(text, start)
            after = head.end() if head is not None else start
            if after != start:
                first = first_word(text, after)
                word = first.group() if first is not None else ""
            pattern = by_head.get(word, head_default)
            if pattern is not None and (found := pattern[0].match(text, start)) is not None:
                _record(found, pattern[1], index, hits, ends)


def _record(
    found: re.Match[str], names: tuple[str, ...], index: int, hits: list[dict[str, int]], ends: list[int]
) -> None:
    """Notes, for the sentence at ``index``, every named cue that matched here and where it ends; a cue
    that runs on into the next sentence is not this sentence's ("that is unfair. i was...")."""
    if index < 0:
        return
    inside = _within(found, ends[index])
    if inside is None:
        return
    sentence = hits[index]
    # ``regs`` holds every group's span at once: (-1, -1) for a cue that did not match.
    for name, (start, end) in zip(names, inside.regs[1:], strict=True):
        if start >= 0 and name not in sentence:
            sentence[name] = end


def _within(found: re.Match[str], limit: int) -> re.Match[str] | None:
    """``found``, or when it (or a cue's group in it) runs on past ``limit`` into the next sentence,
    the match again as if the text ended there, which may find a shorter cue inside the sentence
    ("... 'just talk to him'. last time...")."""
    if limit >= found.endpos:
        return found  # the last sentence: nothing comes after it
    if found.end() <= limit and all(end <= limit for _, end in found.regs[1:]):
        return found
    return found.re.match(found.string, found.start(), limit)


_Grouped = dict[str, list[str]]
# A pattern of named lookaheads and the cue name of each of its groups, in group order.
_Led = tuple[re.Pattern[str], tuple[str, ...]]


_FIRST_WORD = re.compile(r"[a-z']+")
# An optional group of plain lead words, "(?:so |and |well,? )*", at the start of an anchored cue.
_OPTIONAL_WORDS = re.compile(
    r"\(\?:((?:[a-z']+(?: [a-z']+)*(?:,\?)? \|)*[a-z']+(?: [a-z']+)*(?:,\?)? )\)[?*]"
)


def _anchored_dispatch(anchored: _Grouped, lead_in: str) -> tuple[dict[str, _Led], dict[str, _Led]]:
    """Sentence-start cues, one pattern per first word (and "" for a word no cue starts with).

    A cue written as ``lead_in`` + core is filed by the first word of its core, to be matched
    after the sentence's lead-in words; a cue whose first words cannot be read is always tried.
    """
    by_first: dict[str, _Grouped] = {}
    by_head: dict[str, _Grouped] = {}
    always_first: _Grouped = {}
    always_head: _Grouped = {}
    lead_words = frozenset(_FIRST_WORD.findall(lead_in))
    for name, patterns in anchored.items():
        for pattern in patterns:
            led = bool(lead_in) and pattern.startswith(lead_in[1:])
            core = pattern[len(lead_in) - 1 :] if led else pattern
            words_read = _first_words(core)
            firsts: frozenset[str] | None = None
            if words_read is not None:
                optional, required = words_read
                if not led:
                    firsts = optional | required
                elif required.isdisjoint(lead_words):
                    # Optional lead words are eaten with the lead-in: the word after them decides.
                    firsts = required | (optional - lead_words)
            table, always = (by_head, always_head) if led else (by_first, always_first)
            if firsts is None:
                always.setdefault(name, []).append(pattern)
                continue
            for word in firsts:
                table.setdefault(word, {}).setdefault(name, []).append(pattern)

    def compiled(table: dict[str, _Grouped], always: _Grouped) -> dict[str, _Led]:
        merged = {word: _merge(grouped, always) for word, grouped in table.items()}
        if always:
            merged[""] = always
        return {word: _named(_lookaheads(grouped)) for word, grouped in merged.items()}

    return compiled(by_first, always_first), compiled(by_head, always_head)


def _merge(grouped: _Grouped, always: _Grouped) -> _Grouped:
    merged = {name: list(patterns) for name, patterns in grouped.items()}
    for name, patterns in always.items():
        merged.setdefault(name, []).extend(patterns)
    return merged


def _first_words(pattern: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """The words a sentence-start cue can begin with: (optional lead words, first words of the rest).

    None when they cannot be read off the pattern. Optional lead words ("(?:so |and )*") are
    listed apart, since a cue "(?:so |but )*i am" can begin with "so", "but" or "i".
    """
    optional_words: set[str] = set()
    rest = pattern
    while (optional := _OPTIONAL_WORDS.match(rest)) is not None:
        optional_words.update(
            alternative.split()[0].rstrip(",?") for alternative in optional.group(1).split("|")
        )
        rest = rest[optional.end() :]
    leads = _leading_words(rest)
    if leads is None or not all(whole for _, whole, _ in leads):
        return None
    return frozenset(optional_words), frozenset(word for word, _, _ in leads)


def _split(
    cues: Mapping[str, tuple[str, ...]],
) -> tuple[_Grouped, dict[str, _Grouped], dict[str, _Grouped], _Grouped]:
    """Sorts every cue pattern by how it starts: anchored, led by a word, led by a prefix, other."""
    anchored: _Grouped = {}
    other: _Grouped = {}
    by_word: dict[str, _Grouped] = {}
    by_prefix: dict[str, _Grouped] = {}
    for name, written in cues.items():
        # "a|b" is two cues: each alternative is filed by how it starts ("^" anchors only its own).
        for pattern in (alternative for source in written for alternative in _top_level(source)):
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


def _led_by_all(word: str, grouped: _Grouped) -> _Led:
    """The cues that start with ``word``; an occurrence that starts none of them is no match."""
    escaped = re.escape(word)
    rests = [rest for rests in grouped.values() for rest in rests]
    # When every cue goes on with a space, one look at the next character rules out the word
    # used as the start of a longer one ("i" in "it") before the long list of cues is tried.
    spaced = all(rest[:1] == " " and rest[1:2] not in ("?", "*", "+", "{") for rest in rests)
    gate = "(?= )" if spaced else ""
    return _named(f"{escaped}(?<!\\w{escaped}){gate}(?={_by_next_word(rests)}){_lookaheads(grouped)}")


def _by_next_word(rests: list[str]) -> str:
    """``(?:rest|rest|...)``, with the rests that go on with a space and a literal word grouped by
    that word: ``re`` tries the alternatives of a group one by one, and a word ("i") may lead a
    hundred cues, so that most occurrences are ruled out by the next word's first letter rather
    than by trying every cue. The same text matches as with the plain alternation."""
    grouped: dict[str, list[str]] = {}
    plain: list[str] = []
    for rest in rests:
        leads = (
            _leading_words(rest[1:])
            if rest[:1] == " " and rest[1:2] not in ("?", "*", "+", "{", "|", ")")
            else None
        )
        if leads is None:
            plain.append(rest)
            continue
        for next_word, _, after in leads:
            grouped.setdefault(next_word, []).append(after)
    if len(grouped) < 2:
        return f"(?:{_join(rests)})"
    parts = [f" (?:{'|'.join(f'{re.escape(w)}(?:{_join(afters)})' for w, afters in grouped.items())})"]
    parts.extend(f"(?:{rest})" for rest in plain)
    return f"(?:{'|'.join(parts)})"


def _named(source: str) -> _Led:
    pattern = re.compile(source)
    names = [""] * pattern.groups
    for name, number in pattern.groupindex.items():
        names[number - 1] = name
    if "" in names:
        raise ValueError(f"a cue pattern has an unnamed capturing group: {source[:80]}")
    return pattern, tuple(names)


def _led_by(word: str, rests: list[str]) -> re.Pattern[str]:
    """One pattern for the alternatives of one cue that start with ``word``.

    The word comes first, as a literal, so that ``re`` can skip ahead to it; the word boundary
    before it is checked afterwards, looking back, as ``\b`` would ("'just talk" starts a word).
    """
    escaped = re.escape(word)
    return re.compile(f"{escaped}(?<!\\w{escaped})(?:{'|'.join(f'(?:{rest})' for rest in rests)})")


def _leading_words(source: str) -> list[tuple[str, bool, str]] | None:
    """The literal words a pattern can start with: (word, is a whole word, the pattern after it).

    None when the start is not a plain word or a plain group of words (the pattern is then
    searched for as it is).
    """
    after = ""
    if len(_top_level(source)) > 1:
        return None  # "a b|c d": the words after "a" are not all of it
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


def _literal_starts(patterns: list[str]) -> tuple[str, ...] | None:
    """Text that every match of these patterns begins with, one of these strings; None if unknown.

    A cheap ``in`` test on them skips a pattern that ``re`` would otherwise try at every position.
    """
    starts: list[str] = []
    for pattern in patterns:
        source = pattern.removeprefix("\\b")
        if len(_top_level(source)) > 1:
            return None
        if source.startswith("(?:"):
            close = _closing(source)
            if close < 0 or source[close + 1 : close + 2] in ("?", "*", "+", "{"):
                return None
            alternatives = _top_level(source[3:close])
        else:
            alternatives = [source]
        for alternative in alternatives:
            literal = _LITERAL_START.match(alternative)
            text = literal.group() if literal is not None else ""
            if alternative[len(text) : len(text) + 1] in ("?", "*", "{"):
                text = text[:-1]
            if not text.strip():
                return None
            starts.append(text)
    return tuple(starts)


def _plain_chars(source: str) -> Iterator[tuple[int, str, int]]:
    """Each character of a pattern outside escapes and character classes, with the depth of
    parentheses after it."""
    depth, escaped, in_class = 0, False, False
    for index, char in enumerate(source):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            depth += (char == "(") - (char == ")")
            yield index, char, depth


def _closing(source: str) -> int:
    """The index of the parenthesis that closes the one ``source`` opens with, or -1."""
    return next((index for index, char, depth in _plain_chars(source) if char == ")" and depth == 0), -1)


def _top_level(source: str) -> list[str]:
    """``source`` split at the ``|`` that are not inside parentheses or a character class."""
    parts: list[str] = []
    begin = 0
    for index, char, depth in _plain_chars(source):
        if char == "|" and depth == 0:
            parts.append(source[begin:index])
            begin = index + 1
    parts.append(source[begin:])
    return parts


def _join(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


_LITERAL_WORD = re.compile(r"[a-z']+")
_LITERAL_START = re.compile(r"[a-z' ,/]+")

"""Hearing a key point by meaning: which points of the partner's story a reply really restates.

A scenario describes each key point with ``hears``: ways of saying it, each a few concepts that
must all be in the reply (``"phone + dinner|meal"``). A concept is a word or phrase, or ``@name``
for one of the scenario's word families (``words``); alternatives are separated by ``|``. Words
match by lemma, so "scroll" hears "scrolled" and "scrolling", and a phrase may have a word or two
between its words ("brush off" hears "brushed you off").

A concept only counts where the reply says it as the partner's story:
- not denied or minimised ("it's not like she never paid you back", "only a joke"); a negation the
  concept itself holds ("not look up") is part of the meaning, not a denial;
- not in a question about details or a suggestion ("which shop was it?", "maybe book lessons");
- by the right person: a feeling or need is the partner's ("you felt alone", not "I felt alone"),
  and an act of the listener is the listener's ("I was on my phone", not "you were on your phone").

The partner also remembers its own words: once it has said a key point's ``share`` line, a reply
that picks up two of that line's own words (the packed bag, the blue cardigan) hears that point.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from trainer.coding.text import normal_words
from trainer.content.scenario import Actor, KeyPoint, Scenario


def _items(text: str, separator: str | None = None) -> list[str]:
    """The items of a list written as text (words, or phrases between ``separator``)."""
    return [item.strip() for item in text.split(separator) if item.strip()]


_IRREGULAR: dict[str, str] = dict(
    pair.split(">")
    for pair in _items(
        """
    said>say told>tell left>leave lost>lose found>find felt>feel thought>think went>go gone>go
    took>take taken>take drove>drive driven>drive brought>bring made>make got>get gotten>get was>be
    were>be is>be are>be am>be been>be being>be did>do done>do does>do had>have has>have kept>keep
    sat>sit ran>run came>come gave>give given>give knew>know known>know heard>hear spoke>speak
    spoken>speak broke>break broken>break fell>fall fallen>fall forgot>forget forgotten>forget
    chose>choose chosen>choose stood>stand shook>shake shaken>shake wrote>write written>write
    sent>send spent>spend paid>pay lent>lend hung>hang won>win meant>mean built>build ate>eat
    eaten>eat saw>see seen>see began>begin begun>begin stuck>stick caught>catch bought>buy
    slept>sleep woke>wake held>hold threw>throw thrown>throw hid>hide hidden>hide fought>fight
    sold>sell taught>teach understood>understand mice>mouse children>child men>man women>woman
    people>person worse>bad worst>bad better>good best>good mum>mother mom>mother mummy>mother
    mam>mother dad>father daddy>father
    """
    )
)
_KEEP = frozenset(_items("torn news this his us yes always was less bus gas here care there where"))
_NEGATORS = frozenset({"not", "never", "no", "nothing", "nobody", "hardly", "without"})
_NOT_A_DENIAL = frozenset({"just", "only", "even", "once", "one", "a"})
"""Words after a negator that make it "not just X" (X and more), not a denial of X."""
_NEARLY = frozenset({"almost", "nearly"})
"""Before a negator, these keep its meaning: "almost didn't send it" is not a denial."""
_LISTENER = frozenset({"i", "me", "my", "mine", "myself", "we", "our", "us"})
_PARTNER = frozenset({"you", "your", "yours", "yourself"})
_LISTENER_SUBJECTS = frozenset({"i", "we"})
_CLAUSE_BREAKS = frozenset({"and", "but", "becaus", "so", "then", "whil", "when", "though", "although"})
_LEADING = frozenset({"so", "and", "but", "well", "okay", "ok", "oh", "right", "then", "also"})
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]*")
_WORD = re.compile(r"[a-z][a-z']*")


@lru_cache(maxsize=8192)
def lemma(word: str) -> str:
    """A crude lemma, the same for every form of a word ("scrolled" -> "scrol", "worries" -> "worry")."""
    word = word.lower().strip("'")
    if word.endswith("'s"):
        word = word[:-2]
    base = _IRREGULAR.get(word, word)
    if base in _KEEP or len(base) <= 3:
        return base
    stripped = ""
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("ly", ""), ("s", "")):
        if base.endswith(suffix) and len(base) - len(suffix) >= (2 if replacement else 3):
            if suffix == "s" and base.endswith(("ss", "us", "is")):
                break
            base, stripped = base[: -len(suffix)] + replacement, suffix
            break
    if len(base) >= 4 and base[-1] == base[-2] and base[-1] not in "aeiouy":
        base = base[:-1]
    # "shake" and "shaking" meet at "shak"; after "-ed" or "-ing" the "e" is already gone ("agreed").
    if stripped not in ("ed", "ing") and len(base) >= 4 and base.endswith("e") and base not in _KEEP:
        base = base[:-1]
    return base


def lemmas(text: str) -> tuple[str, ...]:
    """The lemmas of a text's words, after the coder's normalisation (contractions spelled out)."""
    return tuple(lemma(w) for w in normal_words(text) if _WORD.fullmatch(w))


_MINIMISERS: tuple[tuple[str, ...], ...] = tuple(
    lemmas(phrase)
    for phrase in _items(
        """
    calm down; overreact; you be not really; you do not really; it be not really; not that bad; not
    a big deal; no big deal; only a joke; just a joke; just joke; it be not like; i be sure; get
    over; at least; not the end of the world; make a big deal; you always know; i do listen; i be
    listen; do not mean; be not try; everyone get
    """,
        ";",
    )
)
_QUESTION_WORDS = frozenset({"what", "which", "how", "where", "when", "who", "whose", "why"})
_SUGGESTION_STARTS: tuple[tuple[str, ...], ...] = tuple(
    lemmas(phrase)
    for phrase in _items(
        """
    maybe; perhaps; let us; let me; just tell; just say; try; tell her; tell him; ask; book; call;
    you should; we should; you could; we could; should; could; can we; can you; do you want; would
    you; why not; how about; what about; have you; did you try; next time; from now on; you need to;
    we need to
    """,
        ";",
    )
)


@dataclass(frozen=True, slots=True)
class Concept:
    """One concept of a sense: any of its alternatives (each a phrase, as lemmas) in the reply."""

    alternatives: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Sense:
    """One way of saying a key point: every concept must be in the reply."""

    concepts: tuple[Concept, ...]
    bears_negation: bool = field(init=False)
    """A sense that says "never" or "not" itself ("@repay + never|still"): a negator is its meaning."""

    def __post_init__(self) -> None:
        bears = any(
            all(word in _NEGATORS for word in phrase) for c in self.concepts for phrase in c.alternatives
        )
        object.__setattr__(self, "bears_negation", bears)


@dataclass(frozen=True, slots=True)
class PointMeaning:
    """A key point as the matcher reads it."""

    id: str
    actor: Actor
    senses: tuple[Sense, ...]
    own_words: frozenset[str]
    """The share line's own content lemmas, used once the partner has said that line."""
    share: str


def parse_sense(text: str, families: dict[str, list[str]]) -> Sense:
    """``"@phone + dinner|meal"`` -> a Sense; an unknown ``@family`` raises ``KeyError``."""
    concepts: list[Concept] = []
    for part in text.split("+"):
        alternatives: list[tuple[str, ...]] = []
        for option in part.split("|"):
            option = option.strip()
            if not option:
                continue
            if option.startswith("@"):
                alternatives.extend(lemmas(term) for term in families[option[1:]])
            else:
                alternatives.append(lemmas(option))
        found = tuple(alt for alt in alternatives if alt)
        if found:
            concepts.append(Concept(found))
    return Sense(tuple(concepts))


_GENERIC = frozenset(
    lemmas(
        """i you he she it we they me him her us them my your his our their the a an and or but so to of in
        on at for with from by about as into like just really that this there then than what when where
        who why how not no never be have do say tell get go make know think feel want need can could
        would should will shall may might must all some any one two every each more most very too also
        still even again back up down out off over only time thing way day night last first yes okay"""
    )
)


def _own_words(point: KeyPoint, scenario: Scenario) -> frozenset[str]:
    """Content lemmas of the point's share line that no other key point's lines use."""
    others: set[str] = set()
    for other in scenario.key_points:
        if other.id != point.id:
            others.update(lemmas(" ".join((other.summary, other.share, other.missed))))
    return frozenset(w for w in lemmas(point.share) if len(w) >= 3 and w not in _GENERIC and w not in others)


def _meanings(scenario: Scenario) -> tuple[PointMeaning, ...]:
    return tuple(
        PointMeaning(
            id=point.id,
            actor=point.speaker_actor(),
            senses=tuple(parse_sense(s, scenario.words) for s in point.hears),
            own_words=_own_words(point, scenario),
            share=" ".join(point.share.split()),
        )
        for point in scenario.key_points
    )


_PARSED: OrderedDict[int, tuple[Scenario, tuple[PointMeaning, ...]]] = OrderedDict()
_PARSED_MAX = 256


def meanings(scenario: Scenario) -> tuple[PointMeaning, ...]:
    """The scenario's key points, parsed once per scenario object (the last 256 are kept)."""
    known = _PARSED.get(id(scenario))
    if known is not None and known[0] is scenario:
        _PARSED.move_to_end(id(scenario))
        return known[1]
    parsed = _meanings(scenario)
    _PARSED[id(scenario)] = (scenario, parsed)
    while len(_PARSED) > _PARSED_MAX:
        _PARSED.popitem(last=False)
    return parsed


@dataclass(frozen=True, slots=True)
class _Sentence:
    words: tuple[str, ...]
    vocabulary: frozenset[str]
    clauses: tuple[tuple[str, ...], ...]
    counts: bool
    """False for a question about details, a suggestion or a minimising sentence ("at least you
    have a job"): nothing in it restates the story."""


def _starts_with(words: Sequence[str], phrases: Iterable[tuple[str, ...]]) -> bool:
    return any(tuple(words[: len(p)]) == p for p in phrases)


def _able(body: Sequence[str]) -> bool:
    """ "You couldn't breathe" and "you could see" tell what happened; they suggest nothing."""
    at = 1 if body[:1] in (["you"], ["i"]) else 0
    return body[at : at + 2] == ["could", "not"]


@lru_cache(maxsize=256)
def _read(reply: str) -> tuple[_Sentence, ...]:
    """The reply's sentences as lemmas (kept for the last few replies: a turn asks about the same
    reply for the key points, the partner's stage and its hint)."""
    sentences: list[_Sentence] = []
    for match in _SENTENCE.finditer(_spell_numbers(reply)):
        text = match.group().strip()
        chunks = [lemmas(chunk) for chunk in text.split(",")]
        words = tuple(word for chunk in chunks for word in chunk)
        if not words:
            continue
        body = list(words)
        while body and body[0] in _LEADING:
            body.pop(0)
        asks_details = text.endswith("?") and bool(body) and body[0] in _QUESTION_WORDS
        suggests = _starts_with(body, _SUGGESTION_STARTS) and not _able(body)
        clauses: list[tuple[str, ...]] = []
        for chunk in chunks:
            start = 0
            for index, word in enumerate(chunk):
                if word in _CLAUSE_BREAKS and index > start:
                    clauses.append(chunk[start:index])
                    start = index
            if chunk[start:]:
                clauses.append(chunk[start:])
        counts = not (asks_details or suggests or _minimised(words))
        sentences.append(_Sentence(words, frozenset(words), tuple(clauses), counts=counts))
    return tuple(sentences)


_UNITS = _items(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    " sixteen seventeen eighteen nineteen"
)
_TENS = _items("_ _ twenty thirty forty fifty sixty seventy eighty ninety")
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(k\b|th\b|st\b|nd\b|rd\b)?", re.IGNORECASE)


def _number_words(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _UNITS[n % 10])
    if n < 1000:
        rest = n % 100
        return _UNITS[n // 100] + " hundred" + ("" if rest == 0 else " " + _number_words(rest))
    if n < 1_000_000:
        rest = n % 1000
        return _number_words(n // 1000) + " thousand" + ("" if rest == 0 else " " + _number_words(rest))
    return str(n)


def _spell_numbers(text: str) -> str:
    """Digits as words, so "3k" and "3,000" hear "three thousand" ("70th" -> "seventy")."""

    def spell(match: re.Match[str]) -> str:
        value = int(match.group(1).replace(",", ""))
        if (match.group(2) or "").lower() == "k":
            value *= 1000
        return _number_words(value)

    return _NUMBER.sub(spell, text)


def _find(words: Sequence[str], phrase: tuple[str, ...], gap: int = 2) -> Iterable[int]:
    """Each start where the phrase's lemmas appear in order, at most ``gap`` words apart."""
    first = phrase[0]
    if first not in words:
        return
    for start, word in enumerate(words):
        if word != first:
            continue
        at = start
        for part in phrase[1:]:
            window = words[at + 1 : at + 2 + gap]
            if part not in window:
                break
            at = at + 1 + window.index(part)
        else:
            yield start


def _minimised(words: Sequence[str]) -> bool:
    return any(next(iter(_find(words, phrase, gap=0)), None) is not None for phrase in _MINIMISERS)


def _denied(words: Sequence[str], start: int, phrase: tuple[str, ...], bears_negation: bool) -> bool:
    """A negator shortly before the match (and not one the phrase or sense holds itself) denies it.

    "not just the insurance" (more than X) and "almost didn't send it" are not denials.
    """
    if bears_negation or any(word in _NEGATORS for word in phrase):
        return False
    for at in range(max(0, start - 4), start):
        if words[at] not in _NEGATORS or _NEARLY.intersection(words[max(0, at - 2) : at]):
            continue
        if words[at + 1] not in _NOT_A_DENIAL:
            return True
    return False


def _belongs(
    actor: Actor, clause: Sequence[str], start: int, sentence: Sequence[str], by_partner: bool = False
) -> bool:
    """Whether the words before ``start`` give the match to ``actor``.

    A listener's act is wrong when "you" comes before it in the clause and "I" or "we" does not
    ("so you were on your phone"); a partner's feeling or need needs a "you"/"your" before it in
    the clause ("I made you feel alone"), or, with no pronoun there at all, one in the sentence.
    Spoken by the partner (``by_partner``), "I" is the partner and "you" the listener.
    """
    before = set(clause[:start])
    listener_words, partner_words = (_PARTNER, _LISTENER) if by_partner else (_LISTENER, _PARTNER)
    listener_subjects, partner_subjects = ({"you"}, {"i"}) if by_partner else (_LISTENER_SUBJECTS, {"you"})
    if actor is Actor.listener:
        return partner_subjects.isdisjoint(before) or not listener_subjects.isdisjoint(before)
    if actor is Actor.partner:
        if not partner_words.isdisjoint(before):
            return True
        if not listener_words.isdisjoint(before):
            return False
        return not partner_words.isdisjoint(sentence)
    return True


def _concept_heard(
    concept: Concept, sentences: Sequence[_Sentence], actor: Actor, bears: bool, by_partner: bool
) -> bool:
    for sentence in sentences:
        if not sentence.counts:
            continue
        # Most alternatives start with a word the sentence does not hold: skip them before the clauses.
        phrases = [phrase for phrase in concept.alternatives if phrase[0] in sentence.vocabulary]
        if not phrases:
            continue
        for clause in sentence.clauses:
            for phrase in phrases:
                for start in _find(clause, phrase):
                    denied = _denied(clause, start, phrase, bears)
                    if not denied and _belongs(actor, clause, start, sentence.words, by_partner):
                        return True
    return False


def _sense_heard(sense: Sense, sentences: Sequence[_Sentence], actor: Actor, by_partner: bool) -> bool:
    # Who did it is checked on the first concept, the act or feeling; the rest only add detail.
    bears = sense.bears_negation
    return bool(sense.concepts) and all(
        _concept_heard(c, sentences, actor if index == 0 else Actor.others, bears, by_partner)
        for index, c in enumerate(sense.concepts)
    )


def _recalls_own_words(point: PointMeaning, sentences: Sequence[_Sentence], said: Sequence[str]) -> bool:
    if not point.own_words or not any(point.share in line for line in said):
        return False
    used = {w for s in sentences if s.counts for w in s.words}
    return len(used & point.own_words) >= 2


def heard_points(
    scenario: Scenario,
    reply: str,
    partner_lines: Sequence[str] = (),
    among: Iterable[str] | None = None,
    *,
    by_partner: bool = False,
) -> tuple[str, ...]:
    """The ids of the key points ``reply`` restates, in the scenario's order.

    ``partner_lines`` are the partner's earlier lines (its own words); ``among`` limits the points
    looked at (e.g. the ones not reflected yet); ``by_partner`` reads a line the partner says
    itself ("I" is the partner), to know which points it has told.
    """
    wanted = None if among is None else set(among)
    sentences = _read(reply)
    said = [" ".join(line.split()) for line in partner_lines]
    found: list[str] = []
    for point in meanings(scenario):
        if wanted is not None and point.id not in wanted:
            continue
        if any(
            _sense_heard(sense, sentences, point.actor, by_partner) for sense in point.senses
        ) or _recalls_own_words(point, sentences, said):
            found.append(point.id)
    return tuple(found)

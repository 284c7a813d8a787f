"""The safety screen: does a reply signal risk to the learner, to someone else, or abuse at home?

It runs on every reply before anything else (and before any model sees it), offline, in well under
a millisecond for an ordinary reply; the work grows linearly with the reply's length. It reads the
reply as normalised sentences (``trainer.safety.normalise``), and per sentence:

1. a sentence about a story (a film, a book, a character) is left alone;
2. idioms and hyperbole ("this is killing me", "kill you at chess") are blanked out;
3. words in quotation marks that repeat the partner's line, or that follow "you said", are blanked
   out: the learner is quoting, not speaking for themselves;
4. each category's phrases are searched; a phrase preceded by a negation within three words ("i
   would never hurt myself") does not count, nor does one the partner's line already says.

When several categories match, risk to the learner's own life comes first, then abuse, then harm
to others. A threat inside words the learner quotes from someone at home ("he says 'i will kill
you'") is abuse, not a threat by the learner. When nothing matched but the reply says it means it
("i am not joking", "i am not talking about the film"), the harm it names anywhere, even in a story,
an idiom or a quotation, counts (the data file's ``disclaimers`` and ``disclaimed``).

When the phrases find nothing, two learned parts read the learner's own words (``own_words``): a
linear model over hashed n-grams (``trainer.safety.model``, a fraction of a millisecond), then, only
when that model sees at least ``READ_FROM`` of risk without reaching its threshold, a small fine-tuned
transformer (``trainer.safety.encoder``, a few milliseconds), which reads indirect forms the n-grams
cannot ("I've been wondering lately whether anyone would miss me much").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from trainer.learning.features import HEDGES, NEGATORS
from trainer.safety.anchors import keys, required
from trainer.safety.encoder import Reader, load_reader
from trainer.safety.lexicon import DATA_FILE, Category, ScreenData, expand, load_screen_data
from trainer.safety.model import (
    MODEL_FILE,
    RISK_CONCEPTS,
    RISK_WORDS,
    Concepts,
    ScreenModel,
    load_model,
)
from trainer.safety.normalise import Spelling, sentences

PRIORITY: tuple[Category, ...] = (Category.self_harm, Category.abuse, Category.harm_to_others)
# The reader reads only what the linear model finds at least this likely to be risk: measured when the
# reader was built (trainer/data/screen_reader/README.md), this sends it about one ordinary reply in ten
# and keeps nearly all it would catch.
READ_FROM = 0.01
_NEGATORS = NEGATORS
# "i do not think i can go on", "i can not stop thinking about it": a negation that governs one of
# these verbs does not negate the risk; nor does one before a comma ("it is not, i am going to").
_HEDGES = HEDGES
_LOOK_BACK = 3
# A joking marker: with one, a threat or a complaint about someone at home is read as exasperation
# over something trivial ("my family will kill me if they see the car 😅", "he forces me to watch his
# football haha"), unless the reply says it means it (evals/screen/README.md, convention 2). Risk to
# the learner's own life is never discounted this way.
_JOKING = re.compile(
    r"(?<![a-z])(?:lol|lols|lmao|lmfao|rofl|jk|haha+|hehe+|ha ha)(?![a-z])"
    # laughing, eye-roll, skull ("i'm dead"), huffing, zany, unamused and upside-down faces
    "|[\U0001f602\U0001f923\U0001f605\U0001f644\U0001f606\U0001f639\U0001f61c\U0001f61d"
    "\U0001f480\U0001f624\U0001f92a\U0001f612\U0001f643]"
)
_DISCOUNTED = frozenset({Category.harm_to_others, Category.abuse})
# The verbs people use figuratively ("i will kill him", "my mum will murder me"): only a hit on one of
# them is discounted by a joking marker; "my dad hits me lol" is not.
_FIGURATIVE = frozenset(
    {"kill", "kills", "killing", "murder", "murders", "strangle", "throttle", "shoot", "destroy", "dead",
     "end", "drown", "bury", "smoke", "break"}
)
_FIRST_PERSON = frozenset({"i", "me", "my", "myself", "mine"})
_REFLECTION = re.compile(
    r"(?:so |and |it is )?(?:it )?(?:sounds like|seems like|sounds as if|you feel|you felt|you are saying|"
    r"you said|what i hear|i hear (?:that )?you|i am hearing|if i understand|for you)"
)
# A listener's yes/no question about the partner's own safety ("are you thinking about suicide", "has he
# ever hit you", "when you say that, do you mean you want to die") checks in: asking plainly is what a
# good listener does. It is not the learner's risk when it names no "me"; asking how or where ("do you
# know how many pills...") is never a check-in.
_CHECK_IN = re.compile(
    r"^(?:[^,]*, )?(?:so |and |but |just |honestly |then )?"
    r"(?:(?:are|were|have|had|do|did|would|will|could|can) you"
    r"|(?:is|was|does|did|has|had|will|would) (?:he|she|they|anyone|anybody|someone|somebody|your [a-z]+))"
    r" (?!know (?:how|where|what|which|if|of)\b)"
)
# ...unless the learner then answers it for themselves ("do you ever want to die? because i do").
_OWNS_IT = re.compile(
    r"^(?:because |cause |cos |coz |well |honestly |and |but )?"
    r"(?:i (?:do|have|am|did|would|could)(?: too| as well| right now| now| , [a-z ]+)?$"
    r"|(?:me too|same here|same|so do i|so have i|so am i|i feel (?:like )?that)\b"
    r"|that is (?:me|where i am|how i feel|what i want|what i am thinking|what i think about)\b)"
)
_ADDRESSEE = frozenset({"you", "your", "yourself", "u", "ur", "urself"})
_STANCE = re.compile(
    r"^(?:i can (?:see|understand|tell|imagine) (?:why |how |that )?|i (?:understand|get|see) (?:why |how )"
    r"|no wonder |it makes (?:total |complete )?sense (?:that )?|of course )"
)
# The verbs of _QUOTE_INTRO_OTHER: its search runs only when one of them stands before the quotation.
_REPORTING = frozenset(
    {
        "said",
        "says",
        "told",
        "tells",
        "yelled",
        "yells",
        "screamed",
        "screams",
        "shouted",
        "shouts",
        "texted",
        "texts",
        "threatened",
        "threatens",
        "saying",
        "went",
        "goes",
        "wrote",
    }
)
_SPEAKERS = frozenset({"i", "you", "me", "my", "your", "myself", "yourself", "am", "are"})
_INTRO_ROOM = 40  # how far before a quotation its "you said" may stand
_QUOTED = re.compile(r'" ([^"]*?) ?"')
_QUOTE_INTRO_YOU = re.compile(
    r"(?:you|you just|you have|you literally) (?:said|say|told me|wrote|mentioned|put it|called it|"
    r"keep saying|were saying|are saying|went|go) (?:that |like |it |, )?$"
)
_QUOTE_INTRO_OTHER = re.compile(
    r"(?:he|she|they|my [a-z]+(?: [a-z]+)?) (?:said|says|told me|tells me|yelled|yells|screamed|screams|"
    r"shouted|shouts|texted|texts|threatened|threatens|keeps saying|went|goes|wrote)"
    r" (?:that |like |to me |, )?$"
)


@dataclass(frozen=True)
class ScreenHit:
    """What the screen found: the category and which phrase matched (never the reply's words)."""

    category: Category
    rule: str


@dataclass(frozen=True)
class _Phrase:
    """One compiled phrase, with the strings it cannot match without (``trainer.safety.anchors``)."""

    name: str
    pattern: re.Pattern[str]
    needs: tuple[frozenset[str], ...]

    def may_match(self, present: set[str]) -> bool:
        """Whether the sentence with these keys (``trainer.safety.anchors.keys``) may match."""
        return all(not present.isdisjoint(options) for options in self.needs)


class _PhraseSet:
    """Phrases in order, indexed by one key of each: a sentence looks up only the phrases it may match."""

    def __init__(self, name: str, sources: Iterable[str], macros: dict[str, str]) -> None:
        compiled: list[_Phrase] = []
        for index, source in enumerate(sources):
            pattern = re.compile(rf"(?<![a-z])(?:{expand(source, macros)})(?![a-z])")
            compiled.append(_Phrase(f"{name}[{index}]", pattern, required(pattern.pattern)))
        self.phrases = tuple(compiled)
        self._always: list[int] = []
        self._by_key: dict[str, list[int]] = {}
        for index, phrase in enumerate(self.phrases):
            if not phrase.needs:
                self._always.append(index)
                continue
            # The most telling set: the one whose shortest key is longest (fewest common words).
            telling = max(phrase.needs, key=lambda keys_: (min(map(len, keys_)), -len(keys_)))
            for key in telling:
                self._by_key.setdefault(key, []).append(index)

    def __iter__(self) -> Iterator[_Phrase]:
        return iter(self.phrases)

    def candidates(self, present: set[str]) -> list[_Phrase]:
        """The phrases whose every key set meets ``present``, in their order."""
        found = set(self._always)
        for key in present:
            found.update(self._by_key.get(key, ()))
        return [self.phrases[i] for i in sorted(found) if self.phrases[i].may_match(present)]


class Screen:
    """The compiled screen; build it once (``default_screen``) and share it: it holds no state."""

    def __init__(
        self, data: ScreenData, model: ScreenModel | None = None, reader: Reader | None = None
    ) -> None:
        macros = data.all_macros
        self.data = data
        self.model = model
        self.reader = reader
        self.concepts = Concepts(data.concepts)
        self._spelling = Spelling(data.words, data.keywords, data.not_typos)
        self._safe = _PhraseSet("safe", data.safe, macros)
        self._fiction = _PhraseSet("fiction", data.fiction, macros)
        self._categories = {c: _PhraseSet(c.value, data.categories[c], macros) for c in PRIORITY}
        self._disclaimers = _PhraseSet("disclaimers", data.disclaimers, macros)
        self._disclaimed = {
            c: _PhraseSet(f"disclaimed.{c.value}", data.disclaimed.get(c, ()), macros) for c in PRIORITY
        }

    def normalised(self, text: str) -> list[str]:
        """``text`` as the sentences the phrases are matched against."""
        return sentences(text, self._spelling)

    def phrases(self) -> Iterable[_Phrase]:
        """Every compiled phrase: the category phrases, the idioms and the story markers."""
        yield from self._safe
        yield from self._fiction
        for category in PRIORITY:
            yield from self._categories[category]
        yield from self._disclaimers
        for category in PRIORITY:
            yield from self._disclaimed[category]

    def check(self, reply: str, partner: str | None = None, learned: bool = True) -> ScreenHit | None:
        """The most urgent thing ``reply`` signals, or None; ``partner`` is the line it answers.

        The rules decide first; when they find nothing, the learned model (``learned``, when the screen
        has one) reads the learner's own words (``own_words``) and pauses when its probability for a
        risk category reaches its threshold."""
        found, own, joking, read = self._rules(reply, partner)
        if joking and not self._disclaims(read):
            return self._model_hit(own, allowed=frozenset({Category.self_harm})) if learned else None
        for category in PRIORITY:
            if category in found:
                return found[category]
        hit = self._disclaimed_hit(read)
        if hit is None and learned:
            return self._model_hit(own, allowed=frozenset(PRIORITY))
        return hit

    def own_words(self, reply: str, partner: str | None = None) -> list[str]:
        """The sentences the learned model reads: the reply's normalised sentences without those about
        a story or reflecting the partner, with idioms and words quoted back from the partner blanked."""
        return self._rules(reply, partner, stop_early=False)[1]

    def _rules(
        self, reply: str, partner: str | None, stop_early: bool = True
    ) -> tuple[dict[Category, ScreenHit], list[str], bool, list[str]]:
        echo = frozenset(" ".join(sentences(partner, self._spelling)).split()) if partner else frozenset()
        found: dict[Category, ScreenHit] = {}
        own: list[str] = []
        literal = False
        read = sentences(reply, self._spelling)
        asks = not any(_OWNS_IT.match(sentence) for sentence in read)
        for sentence in read:
            present = keys(sentence)
            if any(p.pattern.search(sentence) for p in self._fiction.candidates(present)):
                continue
            for category, hit, figurative in self._sentence_hits(sentence, present, echo, own, asks):
                found.setdefault(category, hit)
                literal = literal or not figurative
            if stop_early and Category.self_harm in found:
                break
        joking = bool(found and not literal and found.keys() <= _DISCOUNTED and _JOKING.search(reply.lower()))
        return found, own, joking, read

    def _model_hit(self, own: list[str], allowed: frozenset[Category]) -> ScreenHit | None:
        if self.model is None or not own:
            return None
        present = self.concepts.present(own)  # read once, for the gate and the features
        name, probability = self.model.predict(own, self.concepts.features(own, present)).risk
        category = Category(name)
        if probability >= self.model.threshold and category in allowed and self.anchored(own, present):
            return ScreenHit(category, f"model:{category.value}")
        if self.reader is None or probability < READ_FROM:
            return None
        name, probability = self.reader.read(own).risk
        category = Category(name)
        if probability < self.reader.threshold or category not in allowed:
            return None
        return ScreenHit(category, f"reader:{category.value}")

    def risk_probability(self, reply: str, partner: str | None = None) -> float:
        """How likely the learned model finds any risk in the learner's own words (0 when they are
        none; 1 when the screen has no model, as nothing then tells a reply apart)."""
        if self.model is None:
            return 1.0
        own = self.own_words(reply, partner)
        if not own:
            return 0.0
        present = self.concepts.present(own)
        return self.model.predict(own, self.concepts.features(own, present)).risk[1]

    def anchored(self, own: list[str], present: Sequence[frozenset[str]] | None = None) -> bool:
        """Whether the learner's own words hold a risk word or a word of a risk concept: the model may
        pause only then (warm first-person talk to the partner reads to n-grams like a disclosure)."""
        concepts = present if present is not None else self.concepts.present(own)
        return any(
            RISK_WORDS.search(sentence) or not RISK_CONCEPTS.isdisjoint(found)
            for sentence, found in zip(own, concepts, strict=True)
        )

    def _disclaims(self, read: list[str]) -> bool:
        """Whether the reply says it means it ("i am not joking", "not part of the script")."""
        return any(p.pattern.search(t) for t in read for p in self._disclaimers.candidates(keys(t)))

    def _disclaimed_hit(self, read: list[str]) -> ScreenHit | None:
        """A reply that says it means it ("i am not joking", "it is not really a story") makes the harm
        it names anywhere, in a story, an idiom or words quoted from others, the learner's own."""
        if not self._disclaims(read):
            return None
        keyed = [(self._unidiomatic(sentence), keys(sentence)) for sentence in read]
        for category in PRIORITY:
            for sentence, present in keyed:
                for phrase in self._disclaimed[category].candidates(present):
                    if phrase.pattern.search(sentence):
                        return ScreenHit(category, phrase.name)
        return None

    def _unidiomatic(self, sentence: str) -> str:
        """The sentence with its idioms and hyperbole ("kill him at chess") blanked out."""
        for phrase in self._safe.candidates(keys(sentence)):
            sentence = phrase.pattern.sub("_", sentence)
        return sentence

    def _sentence_hits(
        self, sentence: str, present: set[str], echo: frozenset[str], own: list[str], asks: bool
    ) -> Iterable[tuple[Category, ScreenHit, bool]]:
        original = sentence
        for phrase in self._safe.candidates(present):
            sentence = phrase.pattern.sub("_", sentence)
        sentence, reported = self._quotes(sentence, echo)
        if sentence != original:
            present = keys(sentence)
        said_back = _echoes(sentence, echo)  # the partner's own line said back, pronouns aside
        checks_in = asks and _checks_in(sentence)
        if not said_back and not checks_in and not (
            _REFLECTION.match(sentence) and _FIRST_PERSON.isdisjoint(sentence.split())
        ):
            # The listener's stance ("i can see why that hurts") is about the partner's feeling: the
            # model reads what follows it, without the "i" of the frame.
            own.append(_STANCE.sub("", sentence, count=1) or sentence)
        for category in PRIORITY:
            hit = self._first(category, sentence, present, echo)
            if hit is None:
                continue
            phrase, start = hit
            actual = category
            if checks_in or _reflects(sentence, phrase, start):
                continue
            if category is Category.harm_to_others and any(a <= start < b for a, b in reported):
                actual = Category.abuse
            match = phrase.pattern.match(sentence, start)
            figurative = match is not None and not _FIGURATIVE.isdisjoint(match.group().split())
            yield actual, ScreenHit(actual, phrase.name), figurative

    def _first(
        self, category: Category, sentence: str, present: set[str], echo: frozenset[str]
    ) -> tuple[_Phrase, int] | None:
        for phrase in self._categories[category].candidates(present):
            for match in phrase.pattern.finditer(sentence):
                if self._negated(sentence, match.start()) or _echoes(match.group(), echo):
                    continue
                return phrase, match.start()
        return None

    @staticmethod
    def _quotes(sentence: str, echo: frozenset[str]) -> tuple[str, list[tuple[int, int]]]:
        """Blank quoted words the learner repeats from the partner; find words quoted from others."""
        reported: list[tuple[int, int]] = []
        pieces: list[str] = []
        length = 0
        last = 0
        for match in _QUOTED.finditer(sentence):
            quoted = match.group(1).strip()
            pieces.append(sentence[last : match.start()])
            length += match.start() - last
            piece = match.group()
            if quoted:  # an empty quotation says nothing either way
                before = sentence[max(0, match.start() - _INTRO_ROOM) : match.start()]
                if _echoes(quoted, echo) or ("you" in before and _QUOTE_INTRO_YOU.search(before)):
                    piece = "_"
                elif _REPORTING.intersection(before.split()) and _QUOTE_INTRO_OTHER.search(before):
                    reported.append((length, length + len(piece)))
            pieces.append(piece)
            length += len(piece)
            last = match.end()
        if not pieces:
            return sentence, reported
        pieces.append(sentence[last:])
        return "".join(pieces), reported

    @staticmethod
    def _negated(sentence: str, start: int) -> bool:
        before = sentence[max(0, start - 80) : start].rpartition(",")[2].split()[-_LOOK_BACK:]
        for index, word in enumerate(before):
            if word in _NEGATORS and not _HEDGES.intersection(before[index + 1 :]):
                return True
        return False


def _reflects(sentence: str, phrase: _Phrase, start: int) -> bool:
    """A reflection of the partner ("it sounds like there is no point going on for you", "it sounds like
    you have been scared to go home"), in any category, when the matched words are not about "me"."""
    if not _REFLECTION.match(sentence):
        return False
    match = phrase.pattern.match(sentence, start)
    words = set(match.group().split()) if match else set()
    return not words & _FIRST_PERSON


def _checks_in(sentence: str) -> bool:
    """A question to the partner about their own safety, with no "me" in it (``_CHECK_IN``)."""
    words = set(sentence.split())
    asked = _CHECK_IN.match(sentence) is not None
    return asked and _FIRST_PERSON.isdisjoint(words) and not _ADDRESSEE.isdisjoint(words)


def _echoes(matched: str, echo: frozenset[str]) -> bool:
    """The partner's line already holds every word of ``matched`` but the speakers ("i", "you")."""
    if not echo:
        return False
    words = set(matched.split()) - _SPEAKERS
    return bool(words) and words <= echo


@lru_cache(maxsize=4)
def load_screen(path: Path = DATA_FILE, model_path: Path | None = MODEL_FILE, read: bool = True) -> Screen:
    """The screen built from a data file, the learned model (none when ``model_path`` is None) and the
    reader (when ``read``), compiled once per process."""
    model = load_model(model_path) if model_path is not None else None
    return Screen(load_screen_data(path), model, load_reader() if read else None)


def default_screen() -> Screen:
    return load_screen()

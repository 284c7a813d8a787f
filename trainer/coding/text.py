"""Reply normalisation that remembers where every character came from.

The coder matches its cues against a normalised reply (lowercase, contractions spelled out, chat
spellings and common misspellings fixed, emoji and "lol" removed), but quotes its evidence from the
original reply. ``Normalised`` keeps, for every normalised character, the index of the original
character it came from, so a span found in the normalised text maps back to an exact substring.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple


def _wordlist(text: str) -> list[str]:
    """The words of a whitespace-separated list."""
    return text.split()


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u201c": '"', "\u201d": '"'})

# Whole words that chat writing and common typos spell differently.
_WORDS: dict[str, str] = {
    "u": "you", "ya": "you", "yu": "you", "r": "are", "ur": "your", "y": "why", "k": "okay",
    "ok": "okay", "kk": "okay", "ppl": "people", "pls": "please", "plz": "please", "thx": "thanks",
    "idk": "i do not know", "imo": "in my opinion", "imho": "in my opinion", "tbh": "to be honest",
    "bc": "because", "b/c": "because", "cuz": "because", "coz": "because", "cause": "because",
    "becuase": "because", "becasue": "because", "beacuse": "because", "becaus": "because",
    "wat": "what", "wut": "what", "wht": "what", "hw": "how", "abt": "about", "bout": "about",
    "sry": "sorry", "sory": "sorry", "soory": "sorry", "tho": "though", "thru": "through",
    "alot": "a lot", "realy": "really", "rly": "really", "definately": "definitely",
    "defintely": "definitely", "shoud": "should", "shld": "should", "sould": "should",
    "shuold": "should", "woudl": "would", "coudl": "could", "freind": "friend", "freinds": "friends",
    "thier": "their", "beleive": "believe", "wierd": "weird", "untill": "until", "recieve": "receive",
    "undrestand": "understand", "understnad": "understand", "udnerstand": "understand",
    "understan": "understand", "undestand": "understand", "understant": "understand",
    "feelin": "feeling", "somthing": "something", "someting": "something", "anythin": "anything",
    "wanna": "want to", "gonna": "going to", "gotta": "got to", "hafta": "have to", "kinda": "kind of",
    "sorta": "sort of", "dunno": "do not know", "lemme": "let me", "gimme": "give me",
    "yea": "yeah", "yep": "yes", "yup": "yes", "nope": "no", "mom": "mother", "mum": "mother",
    "cannot": "can not", "overeacting": "overreacting", "overeact": "overreact",
    # Contractions typed without the apostrophe.
    "dont": "do not", "didnt": "did not", "doesnt": "does not", "cant": "can not", "wont": "will not",
    "isnt": "is not", "arent": "are not", "wasnt": "was not", "werent": "were not",
    "havent": "have not", "hasnt": "has not", "hadnt": "had not", "shouldnt": "should not",
    "wouldnt": "would not", "couldnt": "could not", "mustnt": "must not", "aint": "is not",
    "im": "i am", "ive": "i have", "youre": "you are", "youve": "you have", "youll": "you will",
    "youd": "you would", "thats": "that is", "whats": "what is", "its": "it is", "theyre": "they are",
    "hes": "he is", "shes": "she is", "theres": "there is", "heres": "here is", "wheres": "where is",
    "hows": "how is", "whos": "who is", "lets": "let us", "ill": "i will",
}
_NOT: dict[str, str] = {"can't": "can not", "won't": "will not", "shan't": "shall not", "ain't": "is not"}
_SUFFIXES: dict[str, str] = {"'re": " are", "'ve": " have", "'ll": " will", "'m": " am", "'d": " would"}
_S_BASES = frozenset(
    {"it", "that", "what", "there", "here", "he", "she", "who", "how", "where", "this", "everything",
     "nothing", "something", "everyone", "someone", "life", "let"}
)
_LAUGHTER = r"(?:lol+|lmao+|rofl|haha(?:ha)*h?|hehe(?:he)*|xd+|jk)"
_EMOTICON = r"(?:[:;=][\-^']?[()\[\]dpo/\\|*3]+|<3+|\^_?\^)"
_EMOJI = "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d]+"
# "your" where "you're" was meant: "your overreacting", "your not alone".
_YOUR_FOLLOWER = re.compile(
    r"\s+(?:over\w*|being|going|doing|not|so|too|way too|right|welcome|just|really|very|always|never"
    r"|such|probably|definitely|a|an|the)\b"
)
_LAUGHTER_WORD = re.compile(_LAUGHTER)
_TOKEN = re.compile(rf"[a-z][a-z/]*(?:'[a-z]+)?|(?<![\w]){_EMOTICON}(?![\w])|{_EMOJI}")
# Frequent words that normalisation never changes, skipped without a lookup.
_KEEP = frozenset(
    _wordlist(
        """
        i a the to and you it that is of in my me for so be have this was but not what on with do are
        just like feel know about if they can all at how really he she we would been am or an there
        sounds hard felt when why think go get time work people want need talk tell more from them
        their then than some one could should were had has did does very much too also still even
        make made see say said good bad sorry hear understand help try friend friends thing things
        happened sense makes must life day going doing being always never maybe something anything
        nothing everything someone anyone everyone his her him yours our us who which where
        """
    )
) - _WORDS.keys()
_AFTER = 1 << 30  # sorts after every real length in a bisect key
_ENDS_CLAUSE = re.compile(r"\s+[a-z]")
_SENTENCE = re.compile(r"[^.!?\n;]+(?:[.!?;]+|\n|$)")
_WORD = re.compile(r"[a-z][a-z']*")
_ASCII_LETTER = re.compile("[a-zA-Z]")


@lru_cache(maxsize=16384)
def _replacement(token: str) -> str | None:
    """The normalised form of one lowercased token, or None to keep it as it is.

    Cached: a reply is a few dozen tokens drawn from a small everyday vocabulary.
    """
    if not token[0].isalpha():
        return ""
    known = _WORDS.get(token)
    if known is not None:
        return known
    if "'" in token:
        return _contraction(token)
    if token[0] in "hlxjr" and _LAUGHTER_WORD.fullmatch(token):
        return ""
    return None


def _contraction(token: str) -> str | None:
    if token in _NOT:
        return _NOT[token]
    if token.endswith("n't"):
        return token[:-3] + " not"
    base, _, rest = token.partition("'")
    suffix = "'" + rest
    if suffix in _SUFFIXES:
        return base + _SUFFIXES[suffix]
    if suffix == "'s" and base in _S_BASES:
        return "let us" if base == "let" else base + " is"
    return None


class Sentence(NamedTuple):
    """One sentence of the normalised reply: its text and where it sits in the original.

    A named tuple rather than a frozen dataclass: a reply makes several, and a tuple is built
    without a ``__setattr__`` call per field.
    """

    text: str
    start: int
    end: int
    is_question: bool


@dataclass(frozen=True, slots=True)
class Normalised:
    """A normalised reply and the way back to the original.

    ``edits`` lists each replaced token as (start in ``text``, length in ``text``, start in
    ``original``, end in ``original``), in order; text between edits maps back one to one.
    """

    original: str
    text: str
    edits: tuple[tuple[int, int, int, int], ...] = ()

    def origin(self, index: int) -> int:
        """The index of the original character behind ``text[index]``."""
        if not self.edits:
            return index
        at = bisect_right(self.edits, (index, _AFTER)) - 1
        if at < 0:
            return index
        start, length, original_start, original_end = self.edits[at]
        inside = index - start
        if inside >= length:
            return original_end + inside - length
        return original_end - 1 if inside == length - 1 else min(original_start + inside, original_end - 1)

    def original_span(self, start: int, end: int) -> str:
        """The original text behind normalised ``text[start:end]``, without surrounding blanks."""
        if end <= start:
            return ""
        return self.original[self.origin(start) : self.origin(end - 1) + 1].strip()

    def sentences(self) -> list[Sentence]:
        found: list[Sentence] = []
        for match in _SENTENCE.finditer(self.text):
            whole = match.group()
            body = whole.strip()
            # An ASCII letter settles it without looking at every character.
            if _ASCII_LETTER.search(body) is None and not any(ch.isalpha() for ch in body):
                continue
            start = match.start() + (len(whole) - len(whole.lstrip()))
            found.append(Sentence(body, start, start + len(body), body[-1:] == "?"))
        return found


def _lower(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters lowercase to two ("İ"); keep one character per character.
    return "".join(ch.lower()[0] for ch in text)


def _straight_quotes(text: str) -> str:
    # ``translate`` is slow on plain ASCII, where the backtick is the only quote to straighten.
    return text.replace("`", "'") if text.isascii() else text.translate(_QUOTES)


def normalise(reply: str) -> Normalised:
    lowered = _lower(_straight_quotes(reply))
    pieces: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    done = 0
    length = 0
    for match in _TOKEN.finditer(lowered):
        token = match.group()
        if token in _KEEP:
            continue
        start, end = match.span()
        if token in ("your", "ur") and _YOUR_FOLLOWER.match(lowered, end):
            new: str | None = "you are"
        else:
            new = _replacement(token)
        if (
            new == ""
            and not token[0].isalpha()
            and _ENDS_CLAUSE.match(lowered, end)
            and _after_word(lowered, start)
        ):
            # An emoji or emoticon between words ends what came before it, as a full stop would:
            # "you're right and im sorry 😔 what were you saying" is two sentences.
            new = "."
        if new is None:
            continue
        pieces.append(lowered[done:start])
        length += start - done
        pieces.append(new)
        edits.append((length, len(new), start, end))
        length += len(new)
        done = end
    if not edits:
        return Normalised(reply, lowered)
    pieces.append(lowered[done:])
    return Normalised(reply, "".join(pieces), tuple(edits))


def _after_word(text: str, start: int) -> bool:
    """Whether a letter comes before ``start``, past any spaces (each space is looked at once)."""
    index = start
    while index > 0 and text[index - 1] in " \t":
        index -= 1
    return index > 0 and text[index - 1].isalpha()


def normal_words(text: str) -> list[str]:
    """The words of a raw text after normalisation, without keeping track of where they came from."""
    lowered = _straight_quotes(text).lower()
    found: list[str] = []
    for token in _WORD_OR_SYMBOL.findall(lowered):
        new = _replacement(token) if token not in _KEEP else None
        if new is None:
            found.append(token)
        elif new:
            found.extend(new.split())
    return found


_WORD_OR_SYMBOL = re.compile(r"[a-z][a-z/]*(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    """The words of an already normalised text."""
    return _WORD.findall(text)


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A crude stem, enough to match "worked" with "working" and "jobs" with "job"."""
    if word.endswith(_STEM_SUFFIXES):
        for suffix in _STEM_SUFFIXES:
            if word.endswith(suffix):
                if len(word) - len(suffix) >= 3:
                    word = word[: -len(suffix)]
                break
    return word[:6]


_STEM_SUFFIXES = ("ing", "ed", "es", "ly", "s")

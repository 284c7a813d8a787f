"""The check on a model partner's line: a line that cannot be shown is replaced by the scripted one.

A model speaking as the partner may step out of the scene ("As an AI...", talk of grades, rubrics,
prompts or instructions), act instead of speak (``*sighs*``, ``[pauses]``), say nothing, run on far
too long, or say something the safety screen would stop in a reply. ``problem(line)`` names the
first of these; the partner then says the scenario's scripted line for the same reaction, and the
turn records ``partner.replaced`` with the reason.

``LineGuard`` does the same for a streamed line: it holds back the first words (where a model most
often steps out of the scene: "As an AI, I...") and checks the whole line so far as each piece
arrives; once a problem shows, nothing more of the model's line goes out.
"""

from __future__ import annotations

import re
from enum import StrEnum

from trainer.safety.screen import Screen

MAX_LINE_CHARS = 700
"""Far longer than any partner line should be (the scenarios' longest is under 300 characters)."""
HOLD_BACK_CHARS = 32
"""How much of a streamed line waits to be checked before its first words go out."""


class LineProblem(StrEnum):
    """Why a model's partner line was replaced."""

    empty = "empty"
    too_long = "too_long"
    stage_direction = "stage_direction"
    break_character = "break_character"
    unsafe = "unsafe"


_STAGE = re.compile(
    r"\*[^*\n]{1,80}\*"  # *sighs*
    r"|_[a-z][^_\n]{0,60}_(?![a-z])"  # _pauses_
    r"|\[[^\]\n]{1,80}\]"  # [pauses]
    r"|\((?:[a-z]+ly )?(?:sigh|laugh|pause|smile|shrug|nod|cr(?:y|ies)|sob|sniff|look|glance|frown|"
    r"whisper|shak|lean|stare|grin|chuckl|wip|breath|exhal|inhal|wince|blush|tear|turn|sit|stand|fold)"
    r"[^)\n]{0,60}\)",
    re.IGNORECASE,
)
OUT_OF_SCENE = re.compile(
    r"\b(?:as an? (?:ai|a\.i\.|artificial intelligence|language model|large language model|llm|chatbot|bot|"
    r"assistant|virtual assistant|model)\b"
    r"|i(?:'m| am) (?:just |only |actually |really )?(?:an? )?(?:ai|a\.i\.|artificial intelligence|"
    r"(?:large )?language model|llm|chatbot|bot|assistant|virtual assistant|computer program)\b"
    r"|(?:language|ai) model|openai|anthropic|chatgpt|gpt-?\d"
    r"|system prompt|(?:my|your|these|those) (?:prompt|instructions|programming|guidelines|directives)\b"
    r"|(?:ignore|disregard) (?:all |the |my |your )?(?:previous|prior|above) "
    r"|rubrics?\b|grader|grading|(?:full|top) marks|perfect score|\b[0-3] ?(?:/|out of) ?(?:3|three)\b"
    r"|(?:reflection|validation|not[_ ]fixing|partner[_ ]focus|open[_ ]questions?) (?:score|rubric|mark)"
    r"|your (?:reply|response|answer|listening) (?:was|is|gets|deserves|earns)"
    r" (?:graded|scored|rated|a [0-3])"
    r"|the learner|the user\b|role[- ]?play(?:ing)?\b|in character|out of character|break(?:ing)? character"
    r"|(?:this|the) (?:exercise|scenario|simulation|practice session|listening practice)\b"
    r"|\bsimulated\b|safety level|deeper feeling"
    r"|key points? (?:and cues|of (?:the|this|my) (?:scenario|story))"
    r"|i (?:can(?:no|')t|cannot|am unable to|am not able to|won't) (?:assist|comply|fulfil|fulfill|role))",
    re.IGNORECASE,
)
_OPENERS = {"*": "*", "[": "]", "(": ")"}
_DIRECTION_ROOM = 90


def without_directions(line: str) -> str:
    """The spoken words of a line: its stage directions taken out ("*nods* Yes." -> "Yes.")."""
    return " ".join(_STAGE.sub(" ", line).split())


def problem(line: str, screen: Screen, max_chars: int = MAX_LINE_CHARS) -> LineProblem | None:
    """Why ``line`` cannot be shown as the partner's words, or None when it can."""
    if not line.strip():
        return LineProblem.empty
    if len(line) > max_chars:
        return LineProblem.too_long
    if OUT_OF_SCENE.search(line):
        return LineProblem.break_character
    if _STAGE.search(line):
        return LineProblem.stage_direction
    if screen.check(line, learned=False) is not None:
        return LineProblem.unsafe
    return None


class LineGuard:
    """Checks a streamed line piece by piece; ``feed`` returns what may go out now."""

    def __init__(self, screen: Screen, max_chars: int = MAX_LINE_CHARS) -> None:
        self._screen = screen
        self._max = max_chars
        self._text = ""
        self._sent = 0
        self.problem: LineProblem | None = None

    @property
    def text(self) -> str:
        """Everything the model said so far."""
        return self._text

    @property
    def sent(self) -> bool:
        """Some of the model's words already went out."""
        return self._sent > 0

    def feed(self, piece: str) -> str:
        if self.problem is not None:
            return ""
        self._text += piece
        found = self._check(final=False)
        if found is not None:
            self.problem = found
            return ""
        if len(self._text) < HOLD_BACK_CHARS or _open_direction(self._text[self._sent :]):
            return ""
        out = self._text[self._sent :]
        self._sent = len(self._text)
        return out

    def finish(self) -> str:
        """The held-back rest once the model has finished, or "" when the line has a problem."""
        if self.problem is None:
            self.problem = self._check(final=True)
        if self.problem is not None:
            return ""
        out = self._text[self._sent :]
        self._sent = len(self._text)
        return out

    def _check(self, final: bool) -> LineProblem | None:
        if not final and not self._text.strip():
            return None
        found = problem(self._text, self._screen, self._max)
        if found is LineProblem.empty and not final:
            return None
        return found


def _open_direction(unsent: str) -> bool:
    """The unsent text opens a ``*``, ``[`` or ``(`` that has not closed yet (it may be an action)."""
    for opener, closer in _OPENERS.items():
        at = unsent.rfind(opener)
        if at >= 0 and closer not in unsent[at + 1 :] and len(unsent) - at < _DIRECTION_ROOM:
            return True
    return False

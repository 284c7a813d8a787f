"""What the grader reads from a coded reply before scoring it: which behaviours earn credit, and
which signals (rubrics.yaml) are present, each with the words of the reply that show it.

These readings happen here rather than in the coder because they are about scoring, not coding:
text aimed at a grader earns no credit; a validation taken back by "but" is no validation; an offer
of ideas inside a permission ask is the ask, not advice; a partner line can itself ask for advice;
and a question can lead, or several can interrogate.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from trainer.content.rubric import Signal
from trainer.vocabulary.codes import HARMFUL, Behaviour, Code, Coding
from trainer.vocabulary.grades import GradeContext

ADDRESSES_GRADER = "addresses_grader"
SARCASM = "sarcasm"
# Coder flags that are signals of their own (rubrics.yaml).
FLAG_SIGNALS = {
    "words_only": Signal.words_only, "changed_subject": Signal.changed_subject, "sarcasm": Signal.sarcasm
}
UNREADABLE_FLAGS = frozenset({"other_language", "gibberish"})
MOSTLY_SELF_SHARE = 0.5
INTERROGATION_QUESTIONS = 3

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_GRADER_WORDS = re.compile(
    r"[{}]|\b(?:rubrics?|grader|grading|graded|grade me|scor(?:e|ed|es|ing)|marks|full credit|points?"
    r"|evaluat(?:or|ion|e)|assessor|judge|verdict|rat(?:ing|er)|scorer|reviewer|ai|a\.i|llm|model"
    r"|chat ?bot|assistant|prompt|instructions|json|rate (?:this|me)|this (?:reply|response|answer))\b",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^\W*(?:(?:so|and|but|well|come on|honestly|seriously|okay|ok)\W+)*"
    r"(?:don'?t you|doesn'?t (?:it|that)|isn'?t (?:it|that|this)|aren'?t you|wouldn'?t (?:you|it)"
    r"|shouldn'?t you|can'?t you|couldn'?t you|won'?t you|are you (?:sure|really|serious)"
    r"|is (?:it|that) really|do you really|did you really|why (?:did|didn'?t|can'?t|would|are|do|don'?t)"
    r" you|how could you|what did you expect|who cares)\b",
    re.IGNORECASE,
)
_ASKS_FOR_ADVICE = re.compile(
    r"(?:^|[.!?]\s+)should i\b"
    r"|\b(?:what (?:should|shall|can|could|do) i do|what would you (?:do|suggest|recommend)"
    r"|what do you (?:think|reckon) i should|what do you suggest|any (?:ideas|advice|suggestions|tips)"
    r"|do you have (?:any )?(?:ideas|advice|suggestions|tips)"
    r"|(?:can|could|would) you (?:help me|give me|suggest|advise)"
    r"|i (?:need|want|would like) (?:your |some )?(?:advice|ideas|suggestions)"
    r"|tell me what to do|how (?:do|can|should|would) i (?:fix|handle|deal|solve|stop|get|make|tell))\b",
    re.IGNORECASE,
)
_TAKEN_BACK = re.compile(r"^[\s,;:.!\-–—]*(?:but|however|though|although|yet|except)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


def sentences(text: str) -> tuple[Sentence, ...]:
    found = []
    for match in _SENTENCE.finditer(text):
        stripped = match.group().strip()
        if stripped:
            start = match.start() + match.group().index(stripped)
            found.append(Sentence(stripped, start, start + len(stripped)))
    return tuple(found)


def asks_for_advice(partner_line: str) -> bool:
    """The partner's line asks for ideas ("what should I do?", "any advice?"): advice is then welcome."""
    return bool(_ASKS_FOR_ADVICE.search(partner_line))


def is_leading(question: str) -> bool:
    """A question that steers to an answer or blames: "don't you think...?", "why did you...?"."""
    return bool(_LEADING.search(question))


def grader_directed(reply: str) -> tuple[Sentence, ...]:
    """The sentences that talk to a grader or a model rather than to the partner."""
    return tuple(s for s in sentences(reply) if _GRADER_WORDS.search(s.text))


def _locate(reply: str, evidence: str) -> tuple[int, int]:
    start = reply.find(evidence) if evidence else -1
    if start < 0:
        start = reply.lower().find(evidence.lower()) if evidence else -1
    return (start, start + len(evidence)) if start >= 0 else (-1, -1)


def _inside(span: tuple[int, int], blocks: tuple[Sentence, ...]) -> bool:
    start, end = span
    return start >= 0 and any(b.start <= start and end <= b.end for b in blocks)


def _taken_back(reply: str, evidence: str) -> str | None:
    """The span from the validation to its "but", when the next words take it back."""
    start, end = _locate(reply, evidence)
    if start < 0:
        return None
    inner = re.search(r"\b(?:but|however)\b", evidence, re.IGNORECASE)
    if inner:
        return reply[start : start + inner.end()]
    match = _TAKEN_BACK.match(reply[end:])
    return reply[start : end + match.end()] if match else None


@dataclass(frozen=True)
class Reading:
    """A reply as the grader sees it."""

    reply: str
    coding: Coding
    context: GradeContext
    credited: tuple[Behaviour, ...]
    ignored: tuple[Behaviour, ...]
    signals: frozenset[Signal]
    evidence: Mapping[Signal, str]
    questions: tuple[str, ...]
    missed_points: tuple[str, ...]

    def has(self, signal: Signal) -> bool:
        return signal in self.signals

    def quote(self, *signals: Signal) -> str:
        """The evidence of the first of ``signals`` present in the reply."""
        for signal in signals:
            if signal in self.evidence:
                return self.evidence[signal]
        return ""

    @property
    def readable(self) -> bool:
        """Whether the coder could read the reply at all (not another language, not gibberish)."""
        return UNREADABLE_FLAGS.isdisjoint(self.coding.flags)

    def ignored_any(self, signals: tuple[Signal, ...]) -> bool:
        """Whether text aimed at the grader would have earned one of ``signals``."""
        return any(Signal(b.code.value) in signals for b in self.ignored)


def read(reply: str, coding: Coding, context: GradeContext) -> Reading:
    flagged = ADDRESSES_GRADER in coding.flags
    blocks = grader_directed(reply) if flagged else ()
    if flagged and not blocks:
        # The coder saw grader-directed text we cannot place: the whole reply earns no credit.
        blocks = sentences(reply) or (Sentence(reply, 0, len(reply)),)

    credited: list[Behaviour] = []
    ignored: list[Behaviour] = []
    evidence: dict[Signal, str] = {}
    undone: list[str] = []
    for behaviour in coding.behaviours:
        if behaviour.code not in HARMFUL and _inside(_locate(reply, behaviour.evidence), blocks):
            ignored.append(behaviour)
            continue
        if behaviour.code == Code.validation:
            taken_back = _taken_back(reply, behaviour.evidence)
            if taken_back is not None:
                undone.append(taken_back)
                continue
        credited.append(behaviour)
        evidence.setdefault(Signal(behaviour.code.value), behaviour.evidence)

    asks = [b.evidence for b in credited if b.code == Code.permission_ask]
    if asks and Signal.advice in evidence:
        # "Would it help if I suggested something?" offers ideas; it is the ask, not the fix.
        fixes = [
            b.evidence for b in credited
            if b.code == Code.advice and not any(spans_overlap(reply, b.evidence, ask) for ask in asks)
        ]
        if fixes:
            evidence[Signal.advice] = fixes[0]
        else:
            del evidence[Signal.advice]

    signals = set(evidence)
    if undone and Signal.validation not in signals:
        signals.add(Signal.validation_undone)
        evidence[Signal.validation_undone] = undone[0]

    # Splitting into sentences is only needed for questions and for quoting a signal's evidence.
    wanted = "?" in reply or coding.parroting or bool(coding.flags) or coding.self_share > MOSTLY_SELF_SHARE
    partner_text = [s for s in sentences(reply) if not _inside((s.start, s.end), blocks)] if wanted else []
    questions = tuple(s.text for s in partner_text if "?" in s.text)
    leading = [q for q in questions if is_leading(q)]
    leading += [
        b.evidence for b in credited
        if b.code in (Code.open_question, Code.closed_question) and is_leading(b.evidence)
    ]
    if leading:
        signals.add(Signal.leading_question)
        evidence[Signal.leading_question] = leading[0]
        # "Why do you always...?" may be coded open, but a leading question opens no door.
        opening = [
            b.evidence for b in credited
            if b.code == Code.open_question and not any(spans_overlap(reply, b.evidence, q) for q in leading)
        ]
        if opening:
            evidence[Signal.open_question] = opening[0]
        else:
            signals.discard(Signal.open_question)
            evidence.pop(Signal.open_question, None)
    question_count = max(
        len(questions), sum(b.code in (Code.open_question, Code.closed_question) for b in credited)
    )
    if question_count >= INTERROGATION_QUESTIONS:
        signals.add(Signal.interrogation)
        evidence[Signal.interrogation] = questions[0] if questions else ""

    first_sentence = partner_text[0].text if partner_text else reply.strip()
    if coding.parroting:
        signals.add(Signal.parroting)
        evidence[Signal.parroting] = first_sentence
    if flagged:
        signals.add(Signal.addresses_grader)
        evidence[Signal.addresses_grader] = blocks[0].text
    if SARCASM in coding.flags:
        signals.add(Signal.sarcasm)
        evidence[Signal.sarcasm] = first_sentence
    for flag, signal in FLAG_SIGNALS.items():
        if flag in coding.flags:
            signals.add(signal)
            evidence[signal] = first_sentence
    if Signal.changed_subject in signals:
        # A question about something else opens no door for the partner.
        for asked in (Signal.open_question, Signal.closed_question):
            signals.discard(asked)
            evidence.pop(asked, None)
    checks = [b.evidence for b in credited if b.code in (Code.feeling_check, Code.permission_ask)]
    yes_no = [
        b.evidence for b in credited
        if b.code == Code.closed_question and not any(spans_overlap(reply, b.evidence, c) for c in checks)
    ]
    if yes_no and Signal.changed_subject not in signals:
        signals.add(Signal.yes_no_question)
        evidence[Signal.yes_no_question] = yes_no[0]
    if coding.self_share > MOSTLY_SELF_SHARE:
        signals.add(Signal.mostly_self)
        evidence[Signal.mostly_self] = evidence.get(Signal.self_focus, first_sentence)
    # A session's context says whether the partner asked; a bare line (trainer grade) may ask by itself.
    # In a session the state says whether the partner asked (a model partner's wording must not);
    # a bare line (trainer grade, POST /v1/grade) may ask by itself.
    if context.advice_requested or (context.stage is None and asks_for_advice(context.partner)):
        signals.add(Signal.advice_requested)
    if context.permission_granted:
        signals.add(Signal.permission_granted)

    covered = set(coding.key_points)
    return Reading(
        reply=reply,
        coding=coding,
        context=context,
        credited=tuple(credited),
        ignored=tuple(ignored),
        signals=frozenset(signals),
        evidence=MappingProxyType(evidence),
        questions=questions,
        missed_points=tuple(k.id for k in context.key_points if k.id not in covered),
    )


def spans_overlap(reply: str, first: str, second: str) -> bool:
    """Whether two pieces of evidence cover some of the same words of the reply."""
    a_start, a_end = _locate(reply, first)
    b_start, b_end = _locate(reply, second)
    return a_start >= 0 and b_start >= 0 and a_start < b_end and b_start < a_end


@dataclass(frozen=True)
class Judgement:
    """One rubric's verdict on a reply; ``cause`` names the table row or cap that decided it."""

    score: int
    reason: str
    evidence: str = ""
    cause: str = ""

    def with_note(self, note: str) -> Judgement:
        return Judgement(self.score, f"{self.reason} {note}", self.evidence, self.cause)

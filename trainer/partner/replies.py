"""What a reply asks of the partner, beyond its behaviour codes: a clarification, a plan, a question.

The coder says *that* a reply asked an open or a closed question; the partner also needs to know
what to answer. These readers are plain and deterministic, like the rest of the offline partner:
- a request to clarify ("what do you mean?", "I don't follow") gets the point said again;
- a closed question about the story ("did you feel alone?") gets a yes and a little more, one
  about something else ("are you angry with me?") a gentle no and what it is instead;
- a plan ("I'll take Friday off and we go on Saturday") is what a partner who asked for ideas
  wanted to hear.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from trainer.content.scenario import KeyPoint, Scenario
from trainer.partner.hearing import heard_points, lemmas

_CLARIFY = re.compile(
    r"\b(?:what (?:do|did) you mean|what does that mean|(?:can|could) you (?:say|explain) (?:that|it|more)"
    r"|say (?:that|it) again|(?:can|could) you repeat|i (?:do not|don't|dont|am not sure i|'m not sure i)"
    r" (?:quite )?(?:follow|understand|get (?:it|that|what you mean))|not sure i (?:follow|understand)"
    r"|(?:help me|i want to|i'd like to|i would like to) understand|what was that about"
    r"|i(?:'m| am) (?:a bit |a little )?(?:lost|confused)|sorry,? what\?)",
    re.IGNORECASE,
)
_PLAN = re.compile(
    r"\b(?:i(?:'ll| will| could| am going to|'m going to)|we(?:'ll| will| could| should| might)"
    r"|let's|let us|how about|what if (?:we|i|you)|maybe (?:we|i|you)|why don't (?:we|you|i)"
    r"|you could|one idea|my idea|the plan)\b",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"[^.!?]*\?")
_REQUEST = re.compile(
    r"^\W*(?:so,? |okay,? |ok,? )?(?:can|could|shall|would|may) (?:we|i|you)\b", re.IGNORECASE
)


def asks_to_clarify(reply: str) -> bool:
    """Whether the reply asks the partner to say again or explain what they meant."""
    return _CLARIFY.search(reply.replace("\u2019", "'")) is not None


def offers_plan(reply: str) -> bool:
    """Whether the reply proposes something to do: a plan, an idea, a next step."""
    return _PLAN.search(reply.replace("\u2019", "'")) is not None


def questions(reply: str) -> list[str]:
    """The reply's sentences that end in a question mark."""
    return [match.group().strip() for match in _QUESTION.finditer(reply) if match.group().strip(" ?")]


def asks_for_something(reply: str) -> bool:
    """Whether a question of the reply asks to do something ("can we talk at eight?"), not to check."""
    return any(_REQUEST.match(question) for question in questions(reply))


def asked_about(scenario: Scenario, reply: str, partner_lines: Sequence[str] = ()) -> list[KeyPoint]:
    """The key points a closed question checks ("so you felt alone?"), in the scenario's order.

    The question is read as a restatement: what it would restate if it were a statement.
    """
    asked = " ".join(q.rstrip("?") + "." for q in questions(reply)) or reply
    ids = set(heard_points(scenario, asked, partner_lines))
    if not ids:
        feelings = {word for feeling in scenario.feelings for word in lemmas(feeling)}
        if feelings.intersection(lemmas(asked)):
            ids = {point.id for point in scenario.key_points if point.kind == "feeling"}
    return [point for point in scenario.key_points if point.id in ids]


def point_in(scenario: Scenario, line: str) -> KeyPoint | None:
    """The key point a partner line speaks about: the one whose ``share`` or ``missed`` it holds."""
    said = " ".join(line.split())
    for point in scenario.key_points:
        for text in (point.share, point.missed, point.summary):
            if " ".join(text.split()) in said:
                return point
    return None

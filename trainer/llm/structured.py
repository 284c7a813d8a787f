"""Structured answers: JSON validated by pydantic on the client, whatever the server promised.

Providers that support it are given the JSON schema natively (OpenAI ``response_format`` with
``strict: true``, Anthropic a forced tool); a server that takes neither gets ``json_object`` or the
schema in the system prompt. Either way the answer is validated here, and asked again:

- once, with the validation error, when it does not validate (Groq's 400 ``json_validate_failed``
  is such an answer: the server checked it first);
- once, with twice the token budget, when it was cut off (``finish_reason: length``);

and every re-ask carries the schema text. A model that still answers garbage raises
``UnusableAnswer``. Reasoning models' ``<think>`` blocks are dropped before parsing.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from trainer.llm.deadline import within_deadline
from trainer.llm.think import strip_thinking
from trainer.llm.types import ChatMessage, ChatModel, ModelUsage, SchemaT, assistant, system, user
from trainer.vocabulary.errors import ProviderBadOutput, ProviderError

_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)
_MAX_ERRORS_SHOWN = 8
TRUNCATED = frozenset({"length", "max_tokens"})
MAX_BUDGET = 8192
# Keywords OpenAI's strict mode does not take; the client still validates them.
_NOT_STRICT = frozenset({"minLength", "maxLength", "default"})


@dataclass(frozen=True)
class Answer:
    text: str
    usage: ModelUsage
    stop_reason: str | None = None


Ask = Callable[[Sequence[ChatMessage], int], Awaitable[Answer]]


class GenerationRejected(ProviderBadOutput):
    """The server checked the model's answer against the schema and refused it (Groq's
    ``json_validate_failed``); ``generation`` is what the model wrote, when the server says."""

    def __init__(self, detail: str, generation: str) -> None:
        super().__init__(detail)
        self.generation = generation


class UnusableAnswer(ProviderBadOutput):
    """The answer and its re-ask were both invalid; ``usage`` is what the two calls cost."""

    def __init__(self, detail: str, usage: ModelUsage) -> None:
        super().__init__(detail)
        self.usage = usage


class InvalidAnswer(Exception):
    """One answer did not validate; the message is what the model is told on the re-ask."""


def schema_name(schema: type[BaseModel]) -> str:
    return re.sub(r"[^a-zA-Z0-9_-]", "_", schema.__name__)[:64]


@functools.cache
def _schema_text(schema: type[BaseModel]) -> str:
    # Building a schema costs milliseconds: once per model class, then a cheap fresh copy per call.
    return json.dumps(schema.model_json_schema(), separators=(",", ":"))


def json_schema(schema: type[BaseModel]) -> dict[str, Any]:
    copy: dict[str, Any] = json.loads(_schema_text(schema))
    return copy


def _strict(node: Any) -> Any:
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _strict(value) for key, value in node.items() if key not in _NOT_STRICT}
    if result.get("type") == "object" and isinstance(result.get("properties"), dict):
        result["additionalProperties"] = False
        result["required"] = list(result["properties"])
    return result


def strict_schema(schema: type[BaseModel]) -> dict[str, Any]:
    """The schema as OpenAI's ``strict: true`` takes it: every object closed and every field required."""
    strict: dict[str, Any] = _strict(json_schema(schema))
    return strict


def json_instructions(schema: type[BaseModel]) -> str:
    return (
        "Answer with one JSON object and nothing else: no prose, no code fence. "
        "It must validate against this JSON Schema:\n"
        + _schema_text(schema)
    )


def with_json_instructions(messages: Sequence[ChatMessage], schema: type[BaseModel]) -> list[ChatMessage]:
    """The messages with the schema instructions added to the system prompt (or as one)."""
    instructions = json_instructions(schema)
    result = list(messages)
    for index, message in enumerate(result):
        if message.role == "system":
            result[index] = system(f"{message.content}\n\n{instructions}")
            return result
    return [system(instructions), *result]


def extract_json(text: str) -> str:
    """The JSON object in an answer, without a code fence or a sentence around it."""
    stripped = strip_thinking(text).strip()
    fenced = _FENCE.match(stripped)
    if fenced:
        stripped = fenced.group(1).strip()
    if stripped.startswith("{"):
        return stripped
    start, end = stripped.find("{"), stripped.rfind("}")
    return stripped[start : end + 1] if 0 <= start < end else stripped


def parse_answer(text: str, schema: type[SchemaT]) -> SchemaT:
    try:
        return schema.model_validate_json(extract_json(text))
    except ValidationError as error:
        problems = error.errors(include_url=False, include_input=False)
        lines = [
            f"{'.'.join(str(part) for part in problem['loc']) or '(root)'}: {problem['msg']}"
            for problem in problems[:_MAX_ERRORS_SHOWN]
        ]
        if problems and problems[0]["type"] == "json_invalid":
            raise InvalidAnswer("the answer is not valid JSON") from error
        raise InvalidAnswer("; ".join(lines)) from error


def reask_message(problem: InvalidAnswer, schema: type[BaseModel]) -> ChatMessage:
    return user(
        f"That answer did not validate: {problem}. "
        "Answer again with the corrected JSON object only, following the schema exactly.\n\n"
        + json_instructions(schema)
    )


def cut_off_message(schema: type[BaseModel]) -> ChatMessage:
    return user(
        "Your answer was cut off at the length limit. Answer again, complete this time and brief: "
        "one short sentence for each reason.\n\n" + json_instructions(schema)
    )


async def ask_structured(
    ask: Ask, messages: Sequence[ChatMessage], schema: type[SchemaT], max_tokens: int, model: str
) -> tuple[SchemaT, ModelUsage]:
    """Ask and validate; re-ask once for an invalid answer and once for a cut-off one; then give up."""
    attempt, budget = list(messages), max_tokens
    usage: ModelUsage | None = None
    invalid_left, cut_left = 1, 1
    while True:
        try:
            answer = await ask(attempt, budget)
            text, spent, cut = answer.text, answer.usage, answer.stop_reason in TRUNCATED
        except GenerationRejected as rejected:
            text, spent, cut = rejected.generation, None, False
            problem: InvalidAnswer | None = InvalidAnswer(f"the server rejected it: {rejected.detail}")
        else:
            problem = None
        usage = spent if usage is None else (usage.plus(spent) if spent is not None else usage)
        if cut and cut_left:
            cut_left -= 1
            budget = min(MAX_BUDGET, budget * 2)
            attempt = [*messages, cut_off_message(schema)]
            continue
        if problem is None:
            try:
                return parse_answer(text, schema), _spent(usage, model)
            except InvalidAnswer as invalid:
                problem = invalid
        if not invalid_left:
            raise UnusableAnswer(
                f"{schema.__name__}: invalid after a re-ask: {problem}", _spent(usage, model)
            ) from None
        invalid_left -= 1
        attempt = [*messages, assistant(text or "(nothing)"), reask_message(problem, schema)]


def _spent(usage: ModelUsage | None, model: str) -> ModelUsage:
    return usage if usage is not None else ModelUsage(model=model)


@dataclass(frozen=True)
class NoAnswer:
    """Why a structured call gave nothing a caller can use, and what it cost when that is known."""

    reason: str
    spent: ModelUsage | None = None


async def answer_within(
    model: ChatModel,
    messages: Sequence[ChatMessage],
    schema: type[SchemaT],
    *,
    max_tokens: int,
    temperature: float,
    deadline: float | None,
) -> tuple[SchemaT, ModelUsage] | NoAnswer:
    """``model.structured`` within the turn's ``deadline``. Past the deadline, an answer still invalid
    after its re-ask, or a provider failure comes back as ``NoAnswer``, never as an exception: the
    callers (the judge, the safety check) fall back instead of failing the turn."""
    try:
        return await within_deadline(
            deadline,
            lambda: model.structured(messages, schema, max_tokens=max_tokens, temperature=temperature),
        )
    except TimeoutError:
        return NoAnswer(f"past the turn's deadline ({deadline} s)")
    except UnusableAnswer as error:
        return NoAnswer(f"unscored: {error.detail}", error.usage)
    except ProviderError as error:
        return NoAnswer(f"{type(error).__name__}: {error.detail}")

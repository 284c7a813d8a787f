"""Structured answers: JSON validated by pydantic, asked again once with the validation error.

Providers that support it are given the JSON schema natively (OpenAI ``response_format``,
Anthropic a forced tool); otherwise the schema goes into the system prompt. Either way the answer
is validated here, and a model that answers garbage twice raises ``UnusableAnswer``.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from trainer.errors import ProviderBadOutput
from trainer.llm.types import ChatMessage, ModelUsage, SchemaT, assistant, system, user

Ask = Callable[[Sequence[ChatMessage]], Awaitable[tuple[str, ModelUsage]]]

_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)
_MAX_ERRORS_SHOWN = 8


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
    stripped = text.strip()
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


def reask_message(problem: InvalidAnswer) -> ChatMessage:
    return user(
        f"That answer did not validate: {problem}. "
        "Answer again with the corrected JSON object only, following the schema exactly."
    )


async def ask_structured(
    ask: Ask, messages: Sequence[ChatMessage], schema: type[SchemaT]
) -> tuple[SchemaT, ModelUsage]:
    """Ask, validate, and on an invalid answer ask once more with the error; then give up."""
    text, usage = await ask(messages)
    try:
        return parse_answer(text, schema), usage
    except InvalidAnswer as problem:
        retry = [*messages, assistant(text), reask_message(problem)]
    text, second = await ask(retry)
    usage = usage.plus(second)
    try:
        return parse_answer(text, schema), usage
    except InvalidAnswer as problem:
        raise UnusableAnswer(f"{schema.__name__}: invalid after one re-ask: {problem}", usage) from None

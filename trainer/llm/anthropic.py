"""Anthropic's Messages API (``/v1/messages``); structured output through one forced tool.

The system prompt goes as one text block and the tool with ``cache_control: {"type": "ephemeral"}``,
so the stable prefix (tool, then system) is cached; reads from the cache are counted from
``usage.cache_read_input_tokens`` and writes from ``cache_creation_input_tokens`` (both apart from
``input_tokens`` in Anthropic's usage, and added to it here: ``input_tokens`` counts every input).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx
from pydantic import BaseModel

from trainer.llm.http import ClientOptions, HTTPChatModel, ParsedAnswer, Request, StreamTally
from trainer.llm.shape import RequestShape, SchemaTier
from trainer.llm.sse import SSEEvent
from trainer.llm.structured import json_schema, schema_name, with_json_instructions
from trainer.llm.types import ChatMessage
from trainer.vocabulary.errors import ProviderBadOutput, ProviderUnavailable

API_VERSION = "2023-06-01"
DEFAULT_BASE_URL = "https://api.anthropic.com"
_CONVERSATION_START = "(The conversation starts.)"
CACHE = {"type": "ephemeral"}


def _tokens(usage: Any) -> tuple[int | None, int, int | None]:
    """Every input token (fresh, cache writes and cache reads), the cache reads, and output."""
    if not isinstance(usage, dict):
        return None, 0, None
    fresh = usage.get("input_tokens")
    read = int(usage.get("cache_read_input_tokens") or 0)
    written = int(usage.get("cache_creation_input_tokens") or 0)
    total = None if fresh is None else int(fresh) + read + written
    return total, read, usage.get("output_tokens")


def anthropic_messages(messages: Sequence[ChatMessage]) -> tuple[str, list[dict[str, str]]]:
    """The system prompt apart, and turns that alternate and start with the user, as the API needs."""
    system = "\n\n".join(m.content for m in messages if m.role == "system")
    turns: list[dict[str, str]] = []
    for message in messages:
        if message.role == "system":
            continue
        if turns and turns[-1]["role"] == message.role:
            turns[-1] = {"role": message.role, "content": f"{turns[-1]['content']}\n\n{message.content}"}
        else:
            turns.append({"role": message.role, "content": message.content})
    if not turns or turns[0]["role"] != "user":
        turns.insert(0, {"role": "user", "content": _CONVERSATION_START})
    return system, turns


class Anthropic(HTTPChatModel):
    provider = "anthropic"

    def __init__(
        self,
        client: httpx.AsyncClient,
        api_key: str,
        model: str,
        base_url: str = DEFAULT_BASE_URL,
        options: ClientOptions | None = None,
    ) -> None:
        super().__init__(client, model, options, base_url=base_url.rstrip("/"))
        self._api_key = api_key
        self._base_url = base_url.rstrip("/")

    def _url(self) -> str:
        return f"{self._base_url}/v1/messages"

    def _headers(self) -> dict[str, str]:
        return {"x-api-key": self._api_key, "anthropic-version": API_VERSION}

    def _body(self, request: Request, shape: RequestShape) -> dict[str, Any]:
        schema = request.schema
        tool = schema is not None and shape.schema_tier is SchemaTier.json_schema
        messages = request.messages
        if schema is not None and not tool:
            messages = tuple(with_json_instructions(messages, schema))
        system, turns = anthropic_messages(messages)
        body: dict[str, Any] = {
            "model": self._model,
            "max_tokens": request.max_tokens,
            "messages": turns,
        }
        if shape.send_temperature:
            body["temperature"] = request.temperature
        if system:
            body["system"] = [{"type": "text", "text": system, "cache_control": CACHE}]
        if request.stream:
            body["stream"] = True
        if schema is not None and tool:
            name = schema_name(schema)
            body["tools"] = [
                {
                    "name": name,
                    "description": "Record the answer.",
                    "input_schema": json_schema(schema),
                    "cache_control": CACHE,
                }
            ]
            body["tool_choice"] = {"type": "tool", "name": name}
        return body

    def _parse_answer(self, payload: Any, schema: type[BaseModel] | None) -> ParsedAnswer:
        if not isinstance(payload, dict) or not isinstance(payload.get("content"), list):
            raise ProviderBadOutput(f"anthropic {self._model}: the answer has no content")
        stop_reason = payload.get("stop_reason")
        if stop_reason == "refusal":
            raise ProviderBadOutput(f"anthropic {self._model}: the model refused")
        blocks = [block for block in payload["content"] if isinstance(block, dict)]
        text = "".join(str(b.get("text", "")) for b in blocks if b.get("type") == "text")
        if schema is not None:
            tool_inputs = [b.get("input") for b in blocks if b.get("type") == "tool_use"]
            if tool_inputs:
                text = json.dumps(tool_inputs[0])
        input_tokens, cached, output_tokens = _tokens(payload.get("usage"))
        return ParsedAnswer(
            text, payload.get("model"), input_tokens or 0, output_tokens or 0, stop_reason, cached
        )

    async def _parse_stream(self, events: AsyncIterator[SSEEvent], tally: StreamTally) -> AsyncIterator[str]:
        async for event in events:
            try:
                data = json.loads(event.data)
            except ValueError as error:
                raise ProviderUnavailable("a stream event is not JSON") from error
            kind = data.get("type", event.event) if isinstance(data, dict) else event.event
            if kind == "message_start":
                message = data.get("message") or {}
                tally.model = message.get("model") or tally.model
                input_tokens, cached, output_tokens = _tokens(message.get("usage"))
                tally.input_tokens = input_tokens or tally.input_tokens
                tally.cached_input_tokens = cached or tally.cached_input_tokens
                tally.output_tokens = output_tokens or tally.output_tokens
            elif kind == "content_block_delta":
                delta = data.get("delta") or {}
                if delta.get("type") == "text_delta" and delta.get("text"):
                    yield str(delta["text"])
            elif kind == "message_delta":
                stop_reason = (data.get("delta") or {}).get("stop_reason")
                if stop_reason == "refusal":
                    raise ProviderBadOutput(f"anthropic {self._model}: the model refused mid-stream")
                tally.stop_reason = stop_reason or tally.stop_reason
                input_tokens, cached, output_tokens = _tokens(data.get("usage"))
                tally.input_tokens = input_tokens or tally.input_tokens
                tally.cached_input_tokens = cached or tally.cached_input_tokens
                tally.output_tokens = output_tokens or tally.output_tokens
            elif kind == "message_stop":
                return
            elif kind == "error":
                problem = data.get("error") or {}
                raise ProviderUnavailable(f"anthropic error event: {problem.get('type', 'unknown')}")
        raise ProviderUnavailable("the stream ended before message_stop (truncated)")

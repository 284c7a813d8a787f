"""Anthropic's Messages API (``/v1/messages``); structured output through one forced tool."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx
from pydantic import BaseModel

from trainer.errors import ProviderBadOutput, ProviderUnavailable
from trainer.llm.http import ClientOptions, HTTPChatModel, ParsedAnswer, StreamTally
from trainer.llm.sse import SSEEvent
from trainer.llm.structured import json_schema, schema_name
from trainer.llm.types import ChatMessage

API_VERSION = "2023-06-01"
DEFAULT_BASE_URL = "https://api.anthropic.com"
_CONVERSATION_START = "(The conversation starts.)"


def _tokens(usage: Any) -> tuple[int | None, int | None]:
    if not isinstance(usage, dict):
        return None, None
    return usage.get("input_tokens"), usage.get("output_tokens")


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
        super().__init__(client, model, options)
        self._api_key = api_key
        self._base_url = base_url.rstrip("/")

    def _url(self) -> str:
        return f"{self._base_url}/v1/messages"

    def _headers(self) -> dict[str, str]:
        return {"x-api-key": self._api_key, "anthropic-version": API_VERSION}

    def _body(
        self,
        messages: Sequence[ChatMessage],
        max_tokens: int,
        temperature: float,
        *,
        stream: bool,
        schema: type[BaseModel] | None,
    ) -> dict[str, Any]:
        system, turns = anthropic_messages(messages)
        body: dict[str, Any] = {
            "model": self._model,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "messages": turns,
        }
        if system:
            body["system"] = system
        if stream:
            body["stream"] = True
        if schema is not None:
            name = schema_name(schema)
            body["tools"] = [
                {"name": name, "description": "Record the answer.", "input_schema": json_schema(schema)}
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
        input_tokens, output_tokens = _tokens(payload.get("usage"))
        return ParsedAnswer(text, payload.get("model"), input_tokens or 0, output_tokens or 0, stop_reason)

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
                input_tokens, output_tokens = _tokens(message.get("usage"))
                tally.input_tokens = input_tokens or tally.input_tokens
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
                input_tokens, output_tokens = _tokens(data.get("usage"))
                tally.input_tokens = input_tokens or tally.input_tokens
                tally.output_tokens = output_tokens or tally.output_tokens
            elif kind == "message_stop":
                return
            elif kind == "error":
                problem = data.get("error") or {}
                raise ProviderUnavailable(f"anthropic error event: {problem.get('type', 'unknown')}")
        raise ProviderUnavailable("the stream ended before message_stop (truncated)")

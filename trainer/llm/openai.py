"""Any OpenAI-compatible ``/chat/completions`` server: OpenAI, vLLM, llama.cpp, Ollama, LM Studio,
OpenRouter, Groq, a proxy.

The token limit goes as ``max_completion_tokens`` to the hosts known to take it (OpenAI, Azure,
Groq) and as ``max_tokens`` elsewhere; a 400 naming either, or ``temperature``, is learnt per model
(``trainer.llm.shape``). Structured answers ask for ``json_schema`` with ``strict: true``, then
``json_object``, then the schema in the prompt, as the server allows. Cached prompt tokens are read
from ``usage.prompt_tokens_details.cached_tokens``; ``<think>`` blocks are dropped from answers.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
from pydantic import BaseModel

from trainer.llm.http import ClientOptions, HTTPChatModel, ParsedAnswer, Request, StreamTally
from trainer.llm.shape import RequestShape, SchemaTier
from trainer.llm.sse import SSEEvent
from trainer.llm.structured import schema_name, strict_schema, with_json_instructions
from trainer.llm.think import ThinkFilter, strip_thinking
from trainer.vocabulary.errors import ProviderBadOutput, ProviderUnavailable


def _tokens(usage: Any) -> tuple[int, int, int]:
    """Input, cached input (a part of input) and output tokens."""
    if not isinstance(usage, dict):
        return 0, 0, 0
    details = usage.get("prompt_tokens_details")
    cached = details.get("cached_tokens") if isinstance(details, dict) else None
    return int(usage.get("prompt_tokens") or 0), int(cached or 0), int(usage.get("completion_tokens") or 0)


class OpenAICompatible(HTTPChatModel):
    provider = "openai"

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        api_key: str | None,
        model: str,
        options: ClientOptions | None = None,
    ) -> None:
        super().__init__(client, model, options, base_url=base_url.rstrip("/"))
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key

    def _url(self) -> str:
        return f"{self._base_url}/chat/completions"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}

    def _body(self, request: Request, shape: RequestShape) -> dict[str, Any]:
        schema = request.schema
        messages = request.messages
        if schema is not None and shape.schema_tier is not SchemaTier.json_schema:
            messages = tuple(with_json_instructions(messages, schema))
        body: dict[str, Any] = {
            "model": self._model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            shape.limit_param: request.max_tokens,
        }
        if shape.send_temperature:
            body["temperature"] = request.temperature
        if request.stream:
            body["stream"] = True
            body["stream_options"] = {"include_usage": True}
        if schema is not None and shape.schema_tier is SchemaTier.json_schema:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": schema_name(schema), "schema": strict_schema(schema), "strict": True},
            }
        elif schema is not None and shape.schema_tier is SchemaTier.json_object:
            body["response_format"] = {"type": "json_object"}
        return body

    def _parse_answer(self, payload: Any, schema: type[BaseModel] | None) -> ParsedAnswer:
        try:
            choice = payload["choices"][0]
            message = choice["message"]
        except (KeyError, IndexError, TypeError) as error:
            raise ProviderBadOutput(f"openai {self._model}: the answer has no choices") from error
        finish_reason = choice.get("finish_reason")
        if message.get("refusal") or finish_reason == "content_filter":
            raise ProviderBadOutput(f"openai {self._model}: the model refused ({finish_reason or 'refusal'})")
        content = message.get("content")
        if not isinstance(content, str):
            raise ProviderBadOutput(f"openai {self._model}: the answer has no text")
        input_tokens, cached, output_tokens = _tokens(payload.get("usage"))
        return ParsedAnswer(
            strip_thinking(content), payload.get("model"), input_tokens, output_tokens, finish_reason, cached
        )

    async def _parse_stream(self, events: AsyncIterator[SSEEvent], tally: StreamTally) -> AsyncIterator[str]:
        thinking = ThinkFilter()
        async for event in events:
            if event.data.strip() == "[DONE]":
                if tail := thinking.finish():
                    yield tail
                return
            try:
                chunk = json.loads(event.data)
            except ValueError as error:
                raise ProviderUnavailable("a stream chunk is not JSON") from error
            if not isinstance(chunk, dict):
                raise ProviderUnavailable("a stream chunk is not an object")
            if "error" in chunk:
                raise ProviderUnavailable(f"the server sent an error mid-stream: {chunk['error']}"[:300])
            tally.model = chunk.get("model") or tally.model
            if chunk.get("usage"):
                tally.input_tokens, tally.cached_input_tokens, tally.output_tokens = _tokens(chunk["usage"])
            for choice in chunk.get("choices") or []:
                delta = choice.get("delta") or {}
                finish_reason = choice.get("finish_reason")
                if delta.get("refusal") or finish_reason == "content_filter":
                    raise ProviderBadOutput(f"openai {self._model}: the model refused mid-stream")
                if finish_reason:
                    tally.stop_reason = finish_reason
                text = delta.get("content")
                if isinstance(text, str) and text and (spoken := thinking.feed(text)):
                    yield spoken
        raise ProviderUnavailable("the stream ended before [DONE] (truncated)")

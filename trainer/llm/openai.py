"""Any OpenAI-compatible ``/chat/completions`` server: OpenAI, vLLM, llama.cpp, Ollama, a proxy."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx
from pydantic import BaseModel

from trainer.errors import ProviderBadOutput, ProviderUnavailable
from trainer.llm.http import ClientOptions, HTTPChatModel, ParsedAnswer, RequestRejected, StreamTally
from trainer.llm.sse import SSEEvent
from trainer.llm.structured import json_schema, schema_name
from trainer.llm.types import ChatMessage


def _tokens(usage: Any) -> tuple[int, int]:
    if not isinstance(usage, dict):
        return 0, 0
    return int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)


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
        super().__init__(client, model, options)
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key

    def _url(self) -> str:
        return f"{self._base_url}/chat/completions"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}

    def _body(
        self,
        messages: Sequence[ChatMessage],
        max_tokens: int,
        temperature: float,
        *,
        stream: bool,
        schema: type[BaseModel] | None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self._model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": max_tokens,
            "temperature": temperature,
        }
        if stream:
            body["stream"] = True
            body["stream_options"] = {"include_usage": True}
        if schema is not None:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": schema_name(schema), "schema": json_schema(schema), "strict": False},
            }
        return body

    def _schema_unsupported(self, rejected: RequestRejected) -> bool:
        message = rejected.message.lower()
        return rejected.status in (400, 422) and ("response_format" in message or "json_schema" in message)

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
        input_tokens, output_tokens = _tokens(payload.get("usage"))
        return ParsedAnswer(content, payload.get("model"), input_tokens, output_tokens, finish_reason)

    async def _parse_stream(self, events: AsyncIterator[SSEEvent], tally: StreamTally) -> AsyncIterator[str]:
        async for event in events:
            if event.data.strip() == "[DONE]":
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
                tally.input_tokens, tally.output_tokens = _tokens(chunk["usage"])
            for choice in chunk.get("choices") or []:
                delta = choice.get("delta") or {}
                finish_reason = choice.get("finish_reason")
                if delta.get("refusal") or finish_reason == "content_filter":
                    raise ProviderBadOutput(f"openai {self._model}: the model refused mid-stream")
                if finish_reason:
                    tally.stop_reason = finish_reason
                text = delta.get("content")
                if isinstance(text, str) and text:
                    yield text
        raise ProviderUnavailable("the stream ended before [DONE] (truncated)")

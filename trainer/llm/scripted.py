"""A chat model that plays back scripted answers and records every call: the fake for tests and evals.

Each call (and each re-ask of ``structured``) takes the next item of the script:

- ``str``: the answer's text (streamed word by word);
- a pydantic model: its JSON;
- a ``ProviderError``: raised, as a failing provider would;
- ``BrokenStream``: streams some pieces, then raises its error (a stream cut mid-answer).

Running out of script raises ``ScriptExhausted`` (not a ProviderError), so a test that makes more
calls than it meant to fails loudly instead of quietly degrading.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncGenerator, Iterable, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel

from trainer.llm.pricing import PriceTable
from trainer.llm.structured import Answer, ask_structured
from trainer.llm.types import ChatMessage, ChatStream, Completion, ModelUsage, SchemaT
from trainer.vocabulary.errors import ProviderError


@dataclass(frozen=True)
class BrokenStream:
    pieces: tuple[str, ...]
    error: ProviderError


ScriptItem = str | BaseModel | ProviderError | BrokenStream


class ScriptExhausted(AssertionError):
    pass


@dataclass(frozen=True)
class RecordedCall:
    kind: str  # "complete" | "stream" | "structured"
    messages: tuple[ChatMessage, ...]
    max_tokens: int
    temperature: float
    schema: type[BaseModel] | None = None

    @property
    def system(self) -> str:
        return "\n\n".join(m.content for m in self.messages if m.role == "system")

    @property
    def text(self) -> str:
        return "\n\n".join(m.content for m in self.messages)


@dataclass
class ScriptedChatModel:
    script: Iterable[ScriptItem] = ()
    model: str = "scripted"
    prices: PriceTable = field(default_factory=PriceTable)
    calls: list[RecordedCall] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._queue: deque[ScriptItem] = deque(self.script)

    @property
    def name(self) -> str:
        return self.model

    @property
    def remaining(self) -> int:
        return len(self._queue)

    def add(self, *items: ScriptItem) -> None:
        self._queue.extend(items)

    def _next(self) -> ScriptItem:
        if not self._queue:
            raise ScriptExhausted(f"{self.model}: no scripted answer left for call {len(self.calls)}")
        return self._queue.popleft()

    def _usage(self, messages: Sequence[ChatMessage], text: str) -> ModelUsage:
        input_tokens = sum(len(m.content.split()) for m in messages)
        output_tokens = len(text.split())
        return ModelUsage(
            model=self.model,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cost_usd=self.prices.cost(self.model, input_tokens, output_tokens),
        )

    def _record(
        self, kind: str, messages: Sequence[ChatMessage], max_tokens: int, temperature: float,
        schema: type[BaseModel] | None = None,
    ) -> None:
        self.calls.append(RecordedCall(kind, tuple(messages), max_tokens, temperature, schema))

    def _text(self, item: ScriptItem) -> str:
        if isinstance(item, ProviderError):
            raise item
        if isinstance(item, BrokenStream):
            raise item.error
        if isinstance(item, BaseModel):
            return item.model_dump_json()
        return item

    async def complete(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.0
    ) -> Completion:
        self._record("complete", messages, max_tokens, temperature)
        text = self._text(self._next())
        return Completion(text=text, usage=self._usage(messages, text), stop_reason="stop")

    def stream(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.0
    ) -> ChatStream:
        self._record("stream", messages, max_tokens, temperature)
        item = self._next()

        async def pieces(stream: ChatStream) -> AsyncGenerator[str, None]:
            if isinstance(item, BrokenStream):
                for piece in item.pieces:
                    yield piece
                raise item.error
            text = self._text(item)
            words = text.split(" ")
            for index, word in enumerate(words):
                yield word if index == len(words) - 1 else f"{word} "
            stream.completion = Completion(text=text, usage=self._usage(messages, text), stop_reason="stop")

        return ChatStream(pieces)

    async def structured(
        self,
        messages: Sequence[ChatMessage],
        schema: type[SchemaT],
        *,
        max_tokens: int = 1024,
        temperature: float = 0.0,
    ) -> tuple[SchemaT, ModelUsage]:
        async def ask(attempt: Sequence[ChatMessage], budget: int) -> Answer:
            self._record("structured", attempt, budget, temperature, schema)
            text = self._text(self._next())
            return Answer(text, self._usage(attempt, text), "stop")

        return await ask_structured(ask, messages, schema, max_tokens, self.model)

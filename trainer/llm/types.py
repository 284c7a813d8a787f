"""What every chat model speaks: messages in, a completion (or a stream of text) out.

``ChatModel`` is the one protocol the judge and the partner depend on. The HTTP clients
(``trainer.llm.openai``, ``trainer.llm.anthropic``) and the scripted fake (``trainer.llm.scripted``)
implement it, so nothing above this package knows which provider answers.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Sequence
from typing import Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

SchemaT = TypeVar("SchemaT", bound=BaseModel)

ChatRole = Literal["system", "user", "assistant"]


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: ChatRole
    content: str


def system(content: str) -> ChatMessage:
    return ChatMessage(role="system", content=content)


def user(content: str) -> ChatMessage:
    return ChatMessage(role="user", content=content)


def assistant(content: str) -> ChatMessage:
    return ChatMessage(role="assistant", content=content)


class ModelUsage(BaseModel):
    """Tokens, cost and wall time of one logical call (re-asks and retries included)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str
    input_tokens: int = Field(default=0, description="Every input token, cached ones included")
    cached_input_tokens: int = Field(default=0, description="Input tokens read from the prompt cache")
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: float = 0.0

    def plus(self, other: ModelUsage) -> ModelUsage:
        """Two calls made for one answer (an answer and its re-ask) as one usage."""
        return ModelUsage(
            model=other.model or self.model,
            input_tokens=self.input_tokens + other.input_tokens,
            cached_input_tokens=self.cached_input_tokens + other.cached_input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cost_usd=self.cost_usd + other.cost_usd,
            latency_ms=self.latency_ms + other.latency_ms,
        )


class Completion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    usage: ModelUsage
    stop_reason: str | None = Field(default=None, description="The provider's finish/stop reason")

    @property
    def model(self) -> str:
        return self.usage.model

    @property
    def latency_ms(self) -> float:
        return self.usage.latency_ms


class ChatStream:
    """The text pieces of one streamed answer; ``completion`` is set once the stream has ended.

    ``source`` is an async generator function that receives this stream and sets ``completion``
    before it returns. Close the stream (``aclose`` or ``contextlib.aclosing``) when leaving early,
    so that the HTTP response under it is released.
    """

    def __init__(self, source: Callable[[ChatStream], AsyncGenerator[str, None]]) -> None:
        self.completion: Completion | None = None
        self._pieces = source(self)

    def __aiter__(self) -> ChatStream:
        return self

    async def __anext__(self) -> str:
        return await self._pieces.__anext__()

    async def aclose(self) -> None:
        await self._pieces.aclose()

    @property
    def usage(self) -> ModelUsage | None:
        return self.completion.usage if self.completion else None


class ChatModel(Protocol):
    """A chat model. Every method raises only ``trainer.vocabulary.errors.ProviderError`` subclasses."""

    @property
    def name(self) -> str:
        """The model name as configured (the provider may report a more specific one)."""
        ...

    async def complete(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.0
    ) -> Completion: ...

    def stream(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.0
    ) -> ChatStream: ...

    async def structured(
        self,
        messages: Sequence[ChatMessage],
        schema: type[SchemaT],
        *,
        max_tokens: int = 1024,
        temperature: float = 0.0,
    ) -> tuple[SchemaT, ModelUsage]:
        """An answer validated against ``schema``; asked again once with the validation error."""
        ...

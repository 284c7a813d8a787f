"""Chat models behind one small protocol: OpenAI-compatible and Anthropic clients over a shared
``httpx.AsyncClient``, and a scripted fake. Every failure is a ``trainer.vocabulary.errors.ProviderError``."""

from trainer.llm.anthropic import Anthropic
from trainer.llm.factory import Models, build_models
from trainer.llm.http import ClientOptions, RequestRejected
from trainer.llm.openai import OpenAICompatible
from trainer.llm.pricing import PriceTable
from trainer.llm.resilience import CircuitBreaker, Clock, RetryPolicy, SystemClock
from trainer.llm.scripted import BrokenStream, RecordedCall, ScriptedChatModel
from trainer.llm.structured import UnusableAnswer
from trainer.llm.types import ChatMessage, ChatModel, ChatStream, Completion, ModelUsage

__all__ = [
    "Anthropic",
    "BrokenStream",
    "ChatMessage",
    "ChatModel",
    "ChatStream",
    "CircuitBreaker",
    "ClientOptions",
    "Clock",
    "Completion",
    "ModelUsage",
    "Models",
    "OpenAICompatible",
    "PriceTable",
    "RecordedCall",
    "RequestRejected",
    "RetryPolicy",
    "ScriptedChatModel",
    "SystemClock",
    "UnusableAnswer",
    "build_models",
]

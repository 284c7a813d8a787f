from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict

from trainer.llm import BrokenStream, PriceTable, ScriptedChatModel, UnusableAnswer
from trainer.llm.scripted import ScriptExhausted
from trainer.llm.structured import extract_json, with_json_instructions
from trainer.llm.types import system, user
from trainer.vocabulary.errors import ProviderUnavailable


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: int
    reason: str


def test_json_is_found_inside_a_fence_or_a_sentence() -> None:
    assert extract_json('```json\n{"a": 1}\n```') == '{"a": 1}'
    assert extract_json('Here it is: {"a": 1}. Done.') == '{"a": 1}'


def test_schema_instructions_join_the_system_prompt() -> None:
    messages = with_json_instructions([system("Grade."), user("reply")], Verdict)
    assert len(messages) == 2 and messages[0].content.startswith("Grade.")
    assert '"score"' in messages[0].content


async def test_reask_carries_the_validation_error() -> None:
    model = ScriptedChatModel(['{"score": "three", "reason": "x"}', '{"score": 3, "reason": "x"}'])
    verdict, _ = await model.structured([user("grade")], Verdict)
    assert verdict.score == 3
    reask = model.calls[1].messages
    assert reask[-2].role == "assistant" and "three" in reask[-2].content
    assert "score" in reask[-1].content and "did not validate" in reask[-1].content


async def test_extra_fields_are_rejected_then_give_up() -> None:
    model = ScriptedChatModel(['{"score": 1, "reason": "x", "bonus": 1}'] * 2)
    with pytest.raises(UnusableAnswer, match="bonus"):
        await model.structured([user("grade")], Verdict)
    assert model.remaining == 0


async def test_scripted_model_records_calls_streams_and_prices() -> None:
    model = ScriptedChatModel(["one two three"], model="m", prices=PriceTable({"m": (1_000_000.0, 0.0)}))
    stream = model.stream([user("a b")], max_tokens=9)
    assert [piece async for piece in stream] == ["one ", "two ", "three"]
    assert stream.usage is not None and stream.usage.cost_usd == 2.0  # two input words at $1 each
    assert model.calls[0].kind == "stream" and model.calls[0].max_tokens == 9


async def test_scripted_broken_stream_and_errors() -> None:
    model = ScriptedChatModel(
        [BrokenStream(("Hel",), ProviderUnavailable("cut")), ProviderUnavailable("down")]
    )
    received = []
    with pytest.raises(ProviderUnavailable, match="cut"):
        async for piece in model.stream([user("hi")]):
            received.append(piece)
    assert received == ["Hel"]
    with pytest.raises(ProviderUnavailable, match="down"):
        await model.complete([user("hi")])
    with pytest.raises(ScriptExhausted):
        await model.complete([user("hi")])

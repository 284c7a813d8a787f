"""A worker's model calls share a fixed number of slots: past it, a call waits its turn."""

from __future__ import annotations

import asyncio
import dataclasses

import httpx
import respx

from tests.llm.conftest import OPENAI_URL, ManualClock, make_options, openai_answer, openai_stream
from trainer.llm import OpenAICompatible
from trainer.llm.types import user


async def test_calls_past_the_limit_wait_for_a_slot_plain_and_streamed(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    in_flight, most = 0, 0
    gate = asyncio.Event()

    async def provider(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await gate.wait()
        in_flight -= 1
        if b'"stream":true' in request.content.replace(b" ", b""):
            return httpx.Response(200, content=openai_stream("Yes.", " Go on."))
        return httpx.Response(200, json=openai_answer("Fine."))

    router.post(f"{OPENAI_URL}/chat/completions").mock(side_effect=provider)
    options = dataclasses.replace(make_options(clock), slots=asyncio.Semaphore(2))
    model = OpenAICompatible(client, OPENAI_URL, "k", "gpt-4o-mini", options=options)

    async def plain() -> str:
        return (await model.complete([user("hi")])).text

    async def streamed() -> str:
        return "".join([piece async for piece in model.stream([user("hi")])])

    calls = [
        asyncio.ensure_future(plain()),
        asyncio.ensure_future(streamed()),
        asyncio.ensure_future(plain()),
        asyncio.ensure_future(streamed()),
    ]
    for _ in range(20):  # let every call get as far as it can
        await asyncio.sleep(0)
    assert in_flight == 2  # two calls hold the slots; two wait outside the HTTP pool
    gate.set()
    async with asyncio.timeout(5):  # a deadlock guard, not a speed check
        done = await asyncio.gather(*calls)
    assert most == 2
    assert done == ["Fine.", "Yes. Go on.", "Fine.", "Yes. Go on."]

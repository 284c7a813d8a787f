"""A fake OpenAI-compatible model server for benchmarks: ``POST /v1/chat/completions`` on 127.0.0.1.

Raw asyncio HTTP/1.1 with keep-alive (so the fake itself is never the bottleneck). It answers the
trainer's two callers the way a real model would:

- the judge (a request whose ``response_format`` names ``JudgeAnswer``, or whose prompt asks for
  its JSON): a valid ``trainer.grading.judge.JudgeAnswer``, with evidence copied from the reply found
  between the prompt's ``<reply id=...>`` tags, after ``--latency-ms``;
- the safety check (``response_format`` names ``RiskAnswer``, or the prompt asks for its JSON):
  ``{"risk": "none"}`` after ``--latency-ms`` (the bench's replies are ordinary ones);
- anyone else (the partner): a partner line, streamed (first token after ``--ttft-ms``, then
  ``--tokens-per-s``) or whole after ``--latency-ms``.

``--error-rate`` answers that share of requests with a 503. ``GET /stats`` counts what was served.

Run: ``.venv/bin/python bench/fake_model.py --port 9100 --latency-ms 200 --ttft-ms 50``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer.grading.judge import BehaviourFinding, JudgeAnswer, RubricFinding, RubricFindings

_REPLY = re.compile(r'<reply id="([^"]+)">\s*(.*?)\s*</reply id="\1">', re.DOTALL)
_WORDS = re.compile(r"\S+")
_QUESTION = re.compile(r"[^.!?\n]*\?")
MAX_BODY_BYTES = 2_000_000
MAX_HEADER_LINES = 100
PARTNER_LINES = (
    "Yes, that is it. I kept waiting for someone to notice, and nobody did, so I stopped asking.",
    "Not quite. It was less the plan itself and more that I felt I did not count at all.",
    "Maybe. I do not really know why it got to me so much, it just did, and it still does.",
    "Thank you. It helps to say it out loud; I have been carrying it around all week on my own.",
)


@dataclass(frozen=True)
class Behaviour:
    """How the fake answers: latency of a whole answer, streaming pace, and the share of errors."""

    latency_s: float
    ttft_s: float
    tokens_per_s: float
    error_rate: float


@dataclass
class Stats:
    judge: int = 0
    safety_check: int = 0
    partner_streamed: int = 0
    partner_plain: int = 0
    errors: int = 0
    bad_requests: int = 0
    started: float = field(default_factory=time.monotonic)

    def as_json(self) -> dict[str, Any]:
        return {
            "judge": self.judge,
            "safety_check": self.safety_check,
            "partner_streamed": self.partner_streamed,
            "partner_plain": self.partner_plain,
            "errors": self.errors,
            "bad_requests": self.bad_requests,
            "uptime_s": round(time.monotonic() - self.started, 1),
        }


def reply_of(messages: list[dict[str, Any]]) -> str:
    """The learner's reply the judge prompt fences, or "" when there is none."""
    for message in reversed(messages):
        content = message.get("content")
        if isinstance(content, str) and (found := _REPLY.search(content)):
            return found.group(2)
    return ""


def _span(reply: str, words: int) -> str:
    found = list(_WORDS.finditer(reply))[:words]
    return reply[found[0].start() : found[-1].end()] if found else ""


def judge_answer(reply: str) -> str:
    """A valid judge answer for ``reply``: every evidence is an exact span of it."""
    opening = _span(reply, 6)
    found = _QUESTION.search(reply)
    question = found.group().strip() if found else ""
    asks = bool(question)
    behaviours = [BehaviourFinding(code="reflection", evidence=opening)] if opening else []
    if asks:
        behaviours.append(BehaviourFinding(code="open_question", evidence=question))

    def finding(score: int, reason: str, evidence: str = "") -> RubricFinding:
        return RubricFinding(score=score, reason=reason, evidence=evidence)

    answer = JudgeAnswer(
        behaviours=behaviours,
        rubrics=RubricFindings(
            reflection=finding(2, "Restates part of what the partner said.", opening),
            validation=finding(1, "Does not say the feeling makes sense."),
            not_fixing=finding(3, "Offers no fix."),
            open_questions=finding(
                2 if asks else 1,
                "Asks about the partner." if asks else "No question.",
                question if asks else "",
            ),
            partner_focus=finding(3, "Stays with the partner."),
        ),
        tip="Name the feeling you hear, then check whether you got it right.",
    )
    return answer.model_dump_json()


# What the safety check hears for every bench reply: they are ordinary listening replies.
SAFETY_ANSWER = '{"risk": "none"}'


def asks_for(body: dict[str, Any], schema: str) -> bool:
    """Whether the request asks for the JSON of ``schema`` (by name, or in its system prompt)."""
    fmt = body.get("response_format")
    if isinstance(fmt, dict) and fmt.get("json_schema", {}).get("name") == schema:
        return True
    system = next((m.get("content") for m in body.get("messages", []) if m.get("role") == "system"), "")
    return isinstance(system, str) and schema in system


def is_judge(body: dict[str, Any]) -> bool:
    return asks_for(body, "JudgeAnswer")


def is_safety_check(body: dict[str, Any]) -> bool:
    return asks_for(body, "RiskAnswer")


class FakeModel:
    def __init__(self, behaviour: Behaviour, seed: int) -> None:
        self.behaviour = behaviour
        self.stats = Stats()
        self._random = random.Random(seed)
        self._count = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await self._one_request(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def _one_request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = [*lines[0].split(" "), "", "", ""][:3]
        headers: dict[str, str] = {}
        for line in lines[1 : MAX_HEADER_LINES + 1]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = min(int(headers.get("content-length", "0") or 0), MAX_BODY_BYTES)
        raw = await reader.readexactly(length) if length else b""
        keep_alive = headers.get("connection", "").lower() != "close"
        if method == "GET" and path == "/stats":
            await self._json(writer, 200, self.stats.as_json())
        elif method == "POST" and path.rstrip("/").endswith("/chat/completions"):
            await self._completion(writer, raw)
        else:
            self.stats.bad_requests += 1
            await self._json(writer, 404, {"error": {"message": f"no route {method} {path}"}})
        return keep_alive

    async def _completion(self, writer: asyncio.StreamWriter, raw: bytes) -> None:
        try:
            body = json.loads(raw)
            messages = list(body["messages"])
        except (ValueError, KeyError, TypeError):
            self.stats.bad_requests += 1
            await self._json(writer, 400, {"error": {"message": "the body is not a chat request"}})
            return
        self._count += 1
        model = str(body.get("model") or "fake")
        if self._random.random() < self.behaviour.error_rate:
            self.stats.errors += 1
            await asyncio.sleep(self.behaviour.ttft_s)
            await self._json(writer, 503, {"error": {"message": "fake overload", "type": "server_error"}})
            return
        if is_judge(body):
            self.stats.judge += 1
            await asyncio.sleep(self.behaviour.latency_s)
            await self._json(writer, 200, _completion(model, judge_answer(reply_of(messages)), self._count))
            return
        if is_safety_check(body):
            self.stats.safety_check += 1
            await asyncio.sleep(self.behaviour.latency_s)
            await self._json(writer, 200, _completion(model, SAFETY_ANSWER, self._count))
            return
        line = PARTNER_LINES[self._count % len(PARTNER_LINES)]
        if body.get("stream"):
            self.stats.partner_streamed += 1
            await self._stream(writer, model, line)
            return
        self.stats.partner_plain += 1
        await asyncio.sleep(self.behaviour.latency_s)
        await self._json(writer, 200, _completion(model, line, self._count))

    async def _stream(self, writer: asyncio.StreamWriter, model: str, line: str) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
        )
        await asyncio.sleep(self.behaviour.ttft_s)
        words = line.split(" ")
        gap = 1.0 / self.behaviour.tokens_per_s
        for index, word in enumerate(words):
            if index:
                await asyncio.sleep(gap)
            piece = word if index == len(words) - 1 else word + " "
            _chunk(writer, {"model": model, "choices": [{"index": 0, "delta": {"content": piece}}]})
            await writer.drain()
        _chunk(writer, {"model": model, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        usage = {"prompt_tokens": 600, "completion_tokens": len(words), "total_tokens": 600 + len(words)}
        _chunk(writer, {"model": model, "choices": [], "usage": usage})
        _write_chunk(writer, b"data: [DONE]\n\n")
        writer.write(b"0\r\n\r\n")
        await writer.drain()

    @staticmethod
    async def _json(writer: asyncio.StreamWriter, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 503: "Service Unavailable"}[status]
        writer.write(
            f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(data)}\r\n\r\n".encode()
            + data
        )
        await writer.drain()


def _completion(model: str, text: str, number: int) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-fake-{number}",
        "object": "chat.completion",
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1500, "completion_tokens": 180, "total_tokens": 1680},
    }


def _write_chunk(writer: asyncio.StreamWriter, data: bytes) -> None:
    writer.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")


def _chunk(writer: asyncio.StreamWriter, payload: dict[str, Any]) -> None:
    _write_chunk(writer, b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n")


async def serve(host: str, port: int, model: FakeModel, ready: asyncio.Event | None = None) -> None:
    server = await asyncio.start_server(model.handle, host, port, backlog=1024)
    if ready is not None:
        ready.set()
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A fake OpenAI-compatible model server for benchmarks")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--latency-ms", type=float, default=200.0, help="a whole (non-streamed) answer")
    parser.add_argument("--ttft-ms", type=float, default=50.0, help="time to the first streamed token")
    parser.add_argument(
        "--tokens-per-s", type=float, default=200.0, help="streamed tokens (words) per second"
    )
    parser.add_argument("--error-rate", type=float, default=0.0, help="share of requests answered 503")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    behaviour = Behaviour(args.latency_ms / 1000, args.ttft_ms / 1000, args.tokens_per_s, args.error_rate)
    print(f"fake model: http://127.0.0.1:{args.port}/v1 {behaviour}", file=sys.stderr, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        uvloop.run(serve("127.0.0.1", args.port, FakeModel(behaviour, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Replay honesty: the request hash a fixture is checked against covers everything that shapes the
answer (the model, the messages, the output schema and the sampling parameters), so a changed schema,
temperature or model is a stale fixture, not an answer served to a question that was not asked."""

from __future__ import annotations

import copy
from typing import Any

from trainer.evals.fixtures import request_hash

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"score": {"type": "integer"}},
    "required": ["score"],
}


def schema_format(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "json_schema", "json_schema": {"name": "Verdict", "schema": schema, "strict": True}}


BODY: dict[str, Any] = {
    "model": "replay-judge",
    "messages": [{"role": "system", "content": "Grade."}, {"role": "user", "content": "That sounds hard."}],
    "max_tokens": 1200,
    "temperature": 0.0,
    "response_format": schema_format(SCHEMA),
}


def changed(**fields: Any) -> dict[str, Any]:
    body = copy.deepcopy(BODY)
    body.update(fields)
    return body


def test_the_hash_follows_the_model_the_messages_the_schema_and_the_sampling() -> None:
    base = request_hash(BODY)
    assert request_hash(copy.deepcopy(BODY)) == base
    wider = copy.deepcopy(SCHEMA)
    wider["properties"]["reason"] = {"type": "string"}
    variants = {
        "model": changed(model="another-judge"),
        "messages": changed(messages=[*BODY["messages"][:1], {"role": "user", "content": "Ok."}]),
        "schema": changed(response_format=schema_format(wider)),
        "schema tier": changed(response_format={"type": "json_object"}),
        "temperature": changed(temperature=0.7),
        "token limit": changed(max_tokens=2400),
        "seed": changed(seed=7),
    }
    for what, body in variants.items():
        assert request_hash(body) != base, what


def test_what_does_not_change_the_answer_does_not_change_the_hash() -> None:
    base = request_hash(BODY)
    renamed = changed(max_completion_tokens=BODY["max_tokens"])
    del renamed["max_tokens"]
    assert request_hash(renamed) == base  # the same limit under the name a server takes
    assert request_hash(changed(stream=True, stream_options={"include_usage": True})) == base

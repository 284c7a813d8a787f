"""What a server takes in a request, learnt from its own 400 answers and remembered per model.

Providers differ in small ways that a 400 names precisely. OpenAI's reasoning models (GPT-5, the
o-series) reject ``max_tokens`` (``code: unsupported_parameter``, ``param: max_tokens``: "Use
'max_completion_tokens' instead") and any temperature but the default (``code: unsupported_value``,
``param: temperature``); some local servers know only ``max_tokens``; some take no
``response_format`` of type ``json_schema``, or none at all. A ``RequestShape`` says how to build a
request for one model; ``adapt`` changes it after such a 400, and a ``ShapeBook`` keeps it per model
for every client of one worker, so the first call learns every parameter the model rejects and
later calls go through clean.
"""

from __future__ import annotations

import enum
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

# Hosts whose OpenAI-compatible API takes ``max_completion_tokens`` for every model.
_COMPLETION_TOKENS_HOSTS = ("api.openai.com", "openai.azure.com", "api.groq.com")


class SchemaTier(enum.IntEnum):
    """How a structured answer is asked for, best first; a server that rejects one gets the next."""

    json_schema = 0  # response_format json_schema, strict (or Anthropic's forced tool)
    json_object = 1  # response_format json_object, the schema in the prompt
    instructions = 2  # the schema in the prompt only


@dataclass
class RequestShape:
    limit_param: str = "max_tokens"
    send_temperature: bool = True
    schema_tier: SchemaTier = SchemaTier.json_schema
    learnt: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ProviderProblem:
    """The parts of a provider's error body that say what was wrong (OpenAI, Anthropic, Groq)."""

    status: int
    type: str = ""
    code: str = ""
    param: str = ""
    message: str = ""
    failed_generation: str | None = None

    @property
    def summary(self) -> str:
        parts = [part for part in (self.type, self.code, self.message) if part]
        return ": ".join(parts)[:300]


def problem_of(response: httpx.Response) -> ProviderProblem:
    try:
        payload: Any = response.json()
    except (ValueError, json.JSONDecodeError):
        return ProviderProblem(response.status_code, message=response.text[:200])
    error = payload.get("error") if isinstance(payload, dict) else None
    if error is None and isinstance(payload, dict) and "message" in payload:
        error = payload  # vLLM answers {"object": "error", "message", "type", "param", "code"}
    if isinstance(error, str):
        return ProviderProblem(response.status_code, message=error[:300])
    if not isinstance(error, dict):
        return ProviderProblem(response.status_code, message=response.text[:200])

    def text(key: str) -> str:
        value = error.get(key)
        return str(value) if isinstance(value, str) else ""

    failed = error.get("failed_generation")
    return ProviderProblem(
        status=response.status_code,
        type=text("type"),
        code=text("code"),
        param=text("param"),
        message=text("message")[:500],
        failed_generation=failed if isinstance(failed, str) else None,
    )


_NAMED_PARAM = re.compile(r"(?:parameter|value)[:\s]+'?\"?([a-z_]+)", re.IGNORECASE)


def _param(problem: ProviderProblem) -> str:
    if problem.param:
        return problem.param
    found = _NAMED_PARAM.search(problem.message)
    return found.group(1) if found else ""


def adapt(shape: RequestShape, problem: ProviderProblem) -> str | None:
    """Change ``shape`` so the rejected request would be accepted; what changed, or None."""
    if problem.status not in (400, 422):
        return None
    param = _param(problem).lower()
    message = problem.message.lower()
    unsupported = problem.code in ("unsupported_parameter", "unsupported_value") or "unsupported" in message
    if param in ("max_tokens", "max_completion_tokens") and (unsupported or "not supported" in message):
        other = "max_completion_tokens" if param == "max_tokens" else "max_tokens"
        if shape.limit_param == param:
            shape.limit_param = other
            return f"sends {other} instead of {param}"
    if param == "temperature" and shape.send_temperature and (unsupported or "temperature" in message):
        shape.send_temperature = False
        return "leaves temperature at the model's default"
    if "response_format" in message or "json_schema" in message or "json_object" in message:
        whole = param == "response_format" or "parameter: response_format" in message
        if shape.schema_tier is SchemaTier.json_schema and not whole:
            shape.schema_tier = SchemaTier.json_object
            return "asks for json_object with the schema in the prompt"
        if shape.schema_tier is not SchemaTier.instructions:
            shape.schema_tier = SchemaTier.instructions
            return "puts the schema in the prompt only"
    return None


def default_shape(base_url: str) -> RequestShape:
    host = urlsplit(base_url).hostname or ""
    takes_completion_tokens = any(host == h or host.endswith("." + h) for h in _COMPLETION_TOKENS_HOSTS)
    return RequestShape(limit_param="max_completion_tokens" if takes_completion_tokens else "max_tokens")


class ShapeBook:
    """The learnt ``RequestShape`` of each model, shared by every client of one worker."""

    def __init__(self) -> None:
        self._shapes: dict[tuple[str, str], RequestShape] = {}
        self._lock = threading.Lock()

    def get(self, base_url: str, model: str) -> RequestShape:
        key = (base_url, model)
        with self._lock:
            shape = self._shapes.get(key)
            if shape is None:
                shape = self._shapes[key] = default_shape(base_url)
            return shape

    def learnt(self) -> dict[str, list[str]]:
        """What each model had to be told differently (for ``trainer llm check``)."""
        with self._lock:
            return {model: list(shape.learnt) for (_, model), shape in self._shapes.items() if shape.learnt}

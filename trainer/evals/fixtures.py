"""Recorded (or hand-written) model answers for the replay engine, keyed by case and role.

One file per suite: ``evals/fixtures/<suite>.yaml`` = ``{prices, calls: [Exchange...]}``. An exchange
is one HTTP call a case made: the case key (``work-01`` or ``work-vent-good#3``), the role (judge or
partner), its order among that key's calls, the hash of the request it answered, and the answer
text. The request hash is what makes replay honest: it covers the model asked, the messages, the
output schema and the sampling parameters, so a changed prompt, case, rubric, schema, temperature or
model renders a different request, and replay then stops with a "re-record" error instead of
serving an answer to a question that was not asked. ``models`` names the model each role asked (the
replay engine asks the same). Token counts are not stored: replay works them out from the rendered
request (``trainer.evals.tokens``).

Hand-written answers start with ``request_hash: ""``; ``python -m trainer.evals.stamp`` fills in
the hashes of empty entries (it never overwrites a hash that is set). When a prompt or rubric
changes, review each hand-written answer against the new text, set its hash back to ``""`` and stamp
again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from trainer.evals.cases import load_model_file
from trainer.vocabulary.errors import ContentError


class Role(StrEnum):
    judge = "judge"
    partner = "partner"


class Exchange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1)
    role: Role
    order: int = Field(default=0, ge=0, description="Position among this key and role's calls")
    request_hash: str = Field(default="", pattern=r"^([0-9a-f]{16})?$")
    model: str = "hand-written"
    answer: str
    note: str = ""

REPLAY_MODELS: dict[Role, str] = {Role.judge: "replay-judge", Role.partner: "replay-partner"}


class FixtureFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prices: dict[str, tuple[float, float] | tuple[float, float, float]] = Field(
        default_factory=dict, description="USD per million input/output(/cached input) tokens at record time"
    )
    models: dict[Role, str] = Field(
        default_factory=lambda: dict(REPLAY_MODELS), description="The model each role asked"
    )
    calls: list[Exchange] = Field(default_factory=list)


_SAMPLING = ("temperature", "top_p", "seed", "stop", "max_tokens", "max_completion_tokens")
_OUTPUT = ("response_format", "tools", "tool_choice")


def request_hash(body: Mapping[str, Any]) -> str:
    """The hash of a chat request as sent, 16 hex digits: the model, the messages, the output schema
    and the sampling parameters (whether the answer is streamed does not change the answer asked)."""
    sampling = {key: body[key] for key in _SAMPLING if key in body}
    if "max_completion_tokens" in sampling:  # the same limit, whichever name the server takes
        sampling["max_tokens"] = sampling.pop("max_completion_tokens")
    canonical = {
        "model": str(body.get("model")),
        "messages": [
            {"role": str(m["role"]), "content": str(m["content"])} for m in body.get("messages") or []
        ],
        "output": {key: body[key] for key in _OUTPUT if key in body},
        "sampling": sampling,
    }
    text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def fixture_path(folder: Path, suite: str, variant: str = "") -> Path:
    return folder / (f"{suite}-{variant}.yaml" if variant else f"{suite}.yaml")


def load_fixture_file(path: Path) -> FixtureFile:
    if not path.exists():
        return FixtureFile()
    data = load_model_file(path, FixtureFile)
    seen: set[tuple[str, Role, int]] = set()
    for index, call in enumerate(data.calls):
        slot = (call.key, call.role, call.order)
        if slot in seen:
            raise ContentError(
                str(path), f"calls[{index}]: a second answer for {call.key} {call.role} #{call.order}"
            )
        seen.add(slot)
    return data


def save_fixture_file(path: Path, data: FixtureFile) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = sorted(data.calls, key=lambda c: (c.key, c.role.value, c.order))
    document = {
        "prices": {k: list(v) for k, v in data.prices.items()},
        "models": {role.value: name for role, name in data.models.items()},
        "calls": [c.model_dump(mode="json", exclude_defaults=True) for c in ordered],
    }
    header = (
        "# Model answers for the replay engine (trainer/evals/fixtures.py). request_hash is the hash\n"
        "# of the request each answer was given (model, messages, schema, sampling): a changed prompt,\n"
        "# case, rubric, schema, temperature or model fails replay (re-record).\n"
    )
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)
    path.write_text(header + text, encoding="utf-8")


class FixtureBook:
    """The answers of one or more fixture files, looked up by (key, role, order)."""

    def __init__(self, files: Iterable[FixtureFile]) -> None:
        self.prices: dict[str, tuple[float, ...]] = {}
        self.models: dict[Role, str] = dict(REPLAY_MODELS)
        self._calls: dict[tuple[str, Role, int], Exchange] = {}
        for data in files:
            self.prices.update(data.prices)
            if data.calls:
                self.models.update(data.models)
            for call in data.calls:
                self._calls[(call.key, call.role, call.order)] = call

    def get(self, key: str, role: Role, order: int) -> Exchange | None:
        return self._calls.get((key, role, order))

    def keys(self, role: Role | None = None) -> set[str]:
        return {key for key, call_role, _ in self._calls if role is None or call_role is role}

    def __len__(self) -> int:
        return len(self._calls)

"""Recorded (or hand-written) model answers for the replay engine, keyed by case and role.

One file per suite: ``evals/fixtures/<suite>.yaml`` = ``{prices, calls: [Exchange...]}``. An exchange
is one HTTP call a case made: the case key (``work-01`` or ``work-vent-good#3``), the role (judge or
partner), its order among that key's calls, the hash of the request messages it answered, and the
answer text with its token usage. The request hash is what makes replay honest: a changed prompt, a
changed case or a changed rubric renders different messages, and replay then stops with a
"re-record" error instead of serving an answer to a question that was not asked.

Hand-written answers start with ``request_hash: ""``; ``python -m trainer.evals.stamp`` fills in
the hashes of empty entries (it never overwrites a hash that is set). When a prompt or rubric
changes, review each hand-written answer against the new text, set its hash back to ``""`` and stamp
again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from trainer.errors import ContentError
from trainer.evals.cases import load_model_file


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
    input_tokens: int = Field(default=0, ge=0)
    output_tokens: int = Field(default=0, ge=0)
    note: str = ""


class FixtureFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prices: dict[str, tuple[float, float]] = Field(
        default_factory=dict, description="USD per million input/output tokens at record time"
    )
    calls: list[Exchange] = Field(default_factory=list)


def request_hash(messages: Sequence[Any]) -> str:
    """The hash of a request's messages as sent (``[{role, content}]``), 16 hex digits."""
    canonical = [{"role": str(m["role"]), "content": str(m["content"])} for m in messages]
    text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def fixture_path(folder: Path, suite: str) -> Path:
    return folder / f"{suite}.yaml"


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
        "calls": [c.model_dump(mode="json", exclude_defaults=True) for c in ordered],
    }
    header = (
        "# Model answers for the replay engine (trainer/evals/fixtures.py). request_hash is the hash\n"
        "# of the messages each answer was given: a changed prompt or case fails replay (re-record).\n"
    )
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)
    path.write_text(header + text, encoding="utf-8")


class FixtureBook:
    """The answers of one or more fixture files, looked up by (key, role, order)."""

    def __init__(self, files: Iterable[FixtureFile]) -> None:
        self.prices: dict[str, tuple[float, float]] = {}
        self._calls: dict[tuple[str, Role, int], Exchange] = {}
        for data in files:
            self.prices.update(data.prices)
            for call in data.calls:
                self._calls[(call.key, call.role, call.order)] = call

    def get(self, key: str, role: Role, order: int) -> Exchange | None:
        return self._calls.get((key, role, order))

    def keys(self, role: Role | None = None) -> set[str]:
        return {key for key, call_role, _ in self._calls if role is None or call_role is role}

    def __len__(self) -> int:
        return len(self._calls)

"""``trainer llm check``: ask the configured models one small question each and say what is wrong.

It sends what a turn sends: the judge a structured answer (JSON schema) and the partner a short
line, through the same clients, retries and learning of refused parameters. Each model gets a line:
``ok`` with its latency and anything it had to be told differently (``max_completion_tokens``, the
default temperature, a schema tier), or the fault with the variable to look at. Exit status 0 when
every model answered, 1 when one did not, 2 when no model is configured.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx
from pydantic import BaseModel, ConfigDict

from trainer.llm.factory import build_models
from trainer.llm.http import ConfigurationFault
from trainer.llm.types import ChatModel, system, user
from trainer.settings import Settings
from trainer.vocabulary.errors import ProviderError, TrainerError

HINTS = {
    401: "the key is not accepted: check TRAINER_LLM_API_KEY",
    403: "the key may not use this model: check TRAINER_LLM_MODEL and the key's project or plan",
    404: "no such model or URL: check TRAINER_LLM_MODEL (or _JUDGE_/_PARTNER_MODEL) and "
    "TRAINER_LLM_BASE_URL (OpenAI-compatible servers usually end in /v1)",
}


class Check(BaseModel):
    model_config = ConfigDict(extra="forbid")

    evidence: str
    ok: bool


async def _ask(role: str, model: ChatModel) -> tuple[bool, str]:
    started = time.perf_counter()
    try:
        if role == "judge":
            await model.structured(
                [system("You check a connection. Answer in JSON."), user('Quote "ready" and say ok.')],
                Check,
                max_tokens=200,
            )
        else:
            await model.complete([system("Answer in two words."), user("Are you there?")], max_tokens=20)
    except ConfigurationFault as fault:
        return False, f"{fault.detail}\n    {HINTS.get(fault.status, '')}".rstrip()
    except ProviderError as error:
        return False, f"{type(error).__name__}: {error.detail}"
    return True, f"ok in {(time.perf_counter() - started) * 1000:.0f} ms"


async def check(settings: Settings) -> tuple[int, list[str]]:
    lines: list[str] = []
    async with httpx.AsyncClient() as client:
        models = build_models(settings, client)
        if models is None:
            return 2, [
                "no model is configured: the offline engines run. Set TRAINER_LLM_BASE_URL and "
                "TRAINER_LLM_MODEL (or TRAINER_LLM_PROVIDER=anthropic and TRAINER_LLM_API_KEY); "
                "see docs/providers.md"
            ]
        healthy = True
        for role, model in (("judge", models.judge), ("partner", models.partner)):
            ok, said = await _ask(role, model)
            healthy = healthy and ok
            lines.append(f"{role} ({settings.llm_provider} {model.name}): {said}")
        shapes = getattr(models.judge, "shape", None), getattr(models.partner, "shape", None)
        for role, shape in zip(("judge", "partner"), shapes, strict=True):
            if shape is not None and shape.learnt:
                lines.append(f"  the {role}'s model " + "; ".join(shape.learnt))
    return (0 if healthy else 1), lines


def run(settings: Settings, args: argparse.Namespace) -> int:
    try:
        status, lines = asyncio.run(check(settings))
    except TrainerError as error:
        print(f"trainer llm check: {error.detail}")
        return 2
    print("\n".join(lines))
    return status

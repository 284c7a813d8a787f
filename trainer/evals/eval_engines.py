"""The engines an eval runs on: rules (offline), replay (fixtures through the real clients), live.

Replay and live use the real model judge and model partner over ``OpenAICompatible`` (or the
configured provider, live) and an ``httpx.AsyncClient``; replay's client is wired to a
``ReplayServer`` and live's, when recording, to a ``RecordingTransport``. The prompts' nonce is
fixed in an eval, so that the same case renders the same messages and its request hash is stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import httpx

from trainer.content.prompts import load_prompt
from trainer.content.rubric import RubricSet
from trainer.engines import Engines
from trainer.evals.fixtures import FixtureBook, Role
from trainer.evals.replay import REPLAY_BASE_URL, RecordingTransport, ReplayServer
from trainer.grading.judge import ModelJudge
from trainer.llm.factory import build_models
from trainer.llm.http import ClientOptions
from trainer.llm.openai import OpenAICompatible
from trainer.llm.pricing import PriceTable
from trainer.llm.resilience import RetryPolicy
from trainer.llm.types import ChatModel
from trainer.partner.model_partner import ModelPartner
from trainer.partner.scripted_partner import ScriptedPartner
from trainer.settings import Settings
from trainer.vocabulary.errors import TrainerError

EVAL_NONCE = "eval0000"


class EngineName(StrEnum):
    rules = "rules"
    replay = "replay"
    live = "live"


@dataclass
class EvalEngines:
    """The turn engines plus what the runner must close or inspect afterwards."""

    name: EngineName
    engines: Engines
    clients: tuple[httpx.AsyncClient, ...] = ()
    replay: ReplayServer | None = None
    recorders: tuple[RecordingTransport, ...] = ()

    @property
    def uses_model(self) -> bool:
        return self.name is not EngineName.rules

    async def aclose(self) -> None:
        for client in self.clients:
            await client.aclose()


def _model_engines(rubrics: RubricSet, prompts_dir: Path, judge: ChatModel, partner: ChatModel) -> Engines:
    offline = Engines.offline(rubrics)
    judge_prompt = load_prompt(prompts_dir / "judge.yaml")
    partner_prompt = load_prompt(prompts_dir / "partner.yaml")
    return Engines(
        grader=offline.grader,
        judge=ModelJudge(judge, rubrics, judge_prompt, nonce=lambda: EVAL_NONCE),
        voice=ModelPartner(partner, partner_prompt, ScriptedPartner(), nonce=lambda: EVAL_NONCE),
    )


def rules_engines(rubrics: RubricSet) -> EvalEngines:
    return EvalEngines(EngineName.rules, Engines.offline(rubrics))


def replay_engines(
    rubrics: RubricSet, prompts_dir: Path, book: FixtureBook, *, stamp: bool = False
) -> EvalEngines:
    server = ReplayServer(book, stamp=stamp)
    judge_client, partner_client = server.client(Role.judge), server.client(Role.partner)
    # No retries: a replayed call that fails fails for good, and the failure is the finding.
    options = ClientOptions(retry=RetryPolicy(max_retries=0), prices=PriceTable(dict(book.prices)))
    # The replay asks the models the fixtures were recorded from: the model is part of each request.
    judge = OpenAICompatible(judge_client, REPLAY_BASE_URL, None, book.models[Role.judge], options)
    partner = OpenAICompatible(partner_client, REPLAY_BASE_URL, None, book.models[Role.partner], options)
    engines = _model_engines(rubrics, prompts_dir, judge, partner)
    return EvalEngines(EngineName.replay, engines, clients=(judge_client, partner_client), replay=server)


def live_engines(settings: Settings, rubrics: RubricSet, *, record: bool = False) -> EvalEngines:
    if not settings.llm_enabled:
        raise TrainerError("the live engine needs a model: set TRAINER_LLM_BASE_URL and TRAINER_LLM_MODEL")
    if record and settings.llm_provider != "openai":
        raise TrainerError("recording needs an OpenAI-compatible server (TRAINER_LLM_PROVIDER=openai)")
    # Recording keeps one client per role: the judge and the partner may share a model, and the
    # partner's line may come whole or streamed, so only the client tells whose call it was.
    recorders = (
        (
            RecordingTransport(httpx.AsyncHTTPTransport(), Role.judge),
            RecordingTransport(httpx.AsyncHTTPTransport(), Role.partner),
        )
        if record
        else ()
    )
    clients = tuple(httpx.AsyncClient(transport=recorder) for recorder in recorders) or (httpx.AsyncClient(),)
    built = [build_models(settings, client) for client in clients]
    judge_models, partner_models = built[0], built[-1]
    if judge_models is None or partner_models is None:  # llm_enabled was checked above
        raise TrainerError("no model is configured")
    engines = _model_engines(rubrics, settings.prompts_dir, judge_models.judge, partner_models.partner)
    return EvalEngines(EngineName.live, engines, clients=clients, recorders=recorders)

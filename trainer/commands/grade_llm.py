"""``trainer grade --engine llm``: the same JSONL contract, graded by the model judge.

Lines are judged concurrently (``--concurrency`` calls in flight) and written in input order. The
rules grade of each line is the judge's guard and its fallback: a provider that fails gives that
line's rules grade marked ``degraded``, never an error line. The offline safety screen runs first; the
model's safety check (``trainer.safety.model_check``, unless ``TRAINER_MODEL_SAFETY_CHECK=false``) reads
each line it let through while the judge grades it, and a line it flags gets the ``screen`` object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Iterable
from typing import Any, TextIO

import httpx

from trainer.commands.grade import (
    NEEDS_MODEL,
    EngineUnavailable,
    GradeRequest,
    _failed,
    parse_line,
    render,
    screen_line,
    screened,
)
from trainer.content.rubric import load_rubrics
from trainer.grading.grader import RulesGrader
from trainer.safety.model_check import ModelRiskCheck
from trainer.safety.service import Safety
from trainer.settings import Settings
from trainer.vocabulary.grades import GradeContext


async def _grade_all(settings: Settings, lines: Iterable[str], out: TextIO, concurrency: int) -> None:
    from trainer.grading.judge import ModelJudge
    from trainer.llm import build_models

    rubrics = load_rubrics(settings.rubrics_path)
    rules = RulesGrader(rubrics)
    safety = Safety.load(settings.safety_resources_path, settings.screen_reader)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits) as client:
        models = build_models(settings, client)
        if models is None:
            raise EngineUnavailable(NEEDS_MODEL)
        judge = ModelJudge.load(models.judge, rubrics, settings.prompts_dir)
        check = settings.model_safety_check
        risk = ModelRiskCheck.load(models.judge, settings.prompts_dir) if check else None
        gate = asyncio.Semaphore(concurrency)

        async def one(raw: str) -> dict[str, Any]:
            request_id, request = parse_line(raw)
            if not isinstance(request, GradeRequest):
                return request
            stopped = screened(request_id, request, safety)
            if stopped is not None:
                return stopped  # never sent to the model
            context = GradeContext(partner=request.partner, history=tuple(request.history))
            try:
                rules_grade = rules.grade(request.reply, context)
                async with gate:
                    judged, checked = await asyncio.gather(
                        judge.judge(request.reply, context, rules_grade),
                        safety.ask(risk, request.reply, request.partner),
                    )
                if checked is not None and checked.category is not None:
                    return screen_line(request_id, safety.help_for(checked.category))
                return render(request_id, judged.grade)
            except Exception as exc:
                return _failed(request_id, exc)

        window: list[asyncio.Task[dict[str, Any]]] = []
        for raw in lines:
            window.append(asyncio.create_task(one(raw)))
            if len(window) >= concurrency * 4:
                await _flush(window, out)
        await _flush(window, out)


async def _flush(window: list[asyncio.Task[dict[str, Any]]], out: TextIO) -> None:
    for task in window:
        out.write(json.dumps(await task, ensure_ascii=False))
        out.write("\n")
    out.flush()
    window.clear()


def run_llm(settings: Settings, args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    if not settings.llm_enabled:
        raise EngineUnavailable(NEEDS_MODEL)
    asyncio.run(_grade_all(settings, stdin, stdout, max(1, int(args.concurrency))))
    return 0

"""``trainer grade``: JSONL replies on stdin, one JSON grade per input line on stdout, in order.

Each input line is ``{"id"?, "partner", "reply", "history"?}``. Each output line carries ``id`` (when
given), ``behaviours``, ``rubrics``, ``tip`` and ``engine``; a line that cannot be graded gets
``{"id"?, "error": {"type", "detail"}}`` instead and the stream goes on. A reply the safety screen
stops (``trainer.safety``) gets ``{"id"?, "screen": {"category", "message", "resources"}}``: no
rubrics, no tip, and it never reaches a model. The exit status is 0 unless the grader itself cannot
be built.

Speed matters (the calibration set is ~15,000 lines): the grader is built once, lines are read and
written as a stream through buffered files, and nothing here imports the web framework.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from trainer.content.rubric import load_rubrics
from trainer.safety.resources import Help
from trainer.safety.service import Safety
from trainer.settings import Settings
from trainer.vocabulary.errors import ContentError, InvalidReply
from trainer.vocabulary.grades import Grade, GradeContext
from trainer.vocabulary.limits import MAX_REPLY_CHARS
from trainer.vocabulary.messages import Message

GradeFunction = Callable[[str, GradeContext], Grade]


NEEDS_MODEL = (
    "--engine llm needs a model: set TRAINER_LLM_BASE_URL (and TRAINER_LLM_MODEL), or "
    "TRAINER_LLM_PROVIDER=anthropic with TRAINER_LLM_API_KEY; or use --engine rules"
)


class EngineUnavailable(Exception):
    """The chosen engine cannot run here; the message says why and what to do."""


class GradeRequest(BaseModel):
    """One input line. Fields beyond these are ignored, so labelled data can be piped in as it is."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    partner: str
    reply: str
    history: list[Message] = Field(default_factory=list)


def select_grader(settings: Settings, engine: str) -> GradeFunction:
    """The rules grader: instant, offline, the default."""
    rubrics = load_rubrics(settings.rubrics_path)
    from trainer.grading.grader import RulesGrader

    if engine == "rules":
        return RulesGrader(rubrics).grade
    if not settings.llm_enabled:
        raise EngineUnavailable(NEEDS_MODEL)
    raise EngineUnavailable("--engine llm grades through the model judge: use run_llm")


_NO_ID = object()


def _with_id(request_id: object, **fields: Any) -> dict[str, Any]:
    return fields if request_id is _NO_ID else {"id": request_id, **fields}


def _error(request_id: object, kind: str, detail: str) -> dict[str, Any]:
    return _with_id(request_id, error={"type": kind, "detail": detail})


def _validation_detail(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(item) for item in error["loc"]) or "line"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def parse_line(raw: str) -> tuple[object, GradeRequest | dict[str, Any]]:
    """The line's id (or ``_NO_ID``) and its request, or the error object to write for it."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return _NO_ID, _error(_NO_ID, "invalid_json", f"not a JSON object: {exc.msg} (column {exc.colno})")
    if not isinstance(data, dict):
        return _NO_ID, _error(_NO_ID, "invalid_request", "each line must be a JSON object")
    request_id = data.get("id", _NO_ID)
    try:
        return request_id, GradeRequest.model_validate(data)
    except ValidationError as exc:
        return request_id, _error(request_id, "invalid_request", _validation_detail(exc))


def render(request_id: object, result: Grade) -> dict[str, Any]:
    return _with_id(
        request_id,
        behaviours=[{"code": b.code.value, "evidence": b.evidence} for b in result.behaviours],
        rubrics={
            name.value: {"score": score.score, "reason": score.reason, "evidence": score.evidence}
            for name, score in result.rubrics.items()
        },
        tip=result.tip,
        engine=result.engine.value,
        **({"degraded": True} if result.degraded else {}),
    )


def _failed(request_id: object, exc: Exception) -> dict[str, Any]:
    if isinstance(exc, InvalidReply):
        return _error(request_id, "invalid_reply", exc.detail)
    # one line must never stop the stream; name what broke, never the text
    print(f"trainer grade: a line could not be graded: {type(exc).__name__}", file=sys.stderr)
    return _error(request_id, "internal", f"the line could not be graded ({type(exc).__name__})")


def screened(request_id: object, request: GradeRequest, safety: Safety | None) -> dict[str, Any] | None:
    """The output for a reply the safety screen stops, or None to grade it."""
    found = safety.check(request.reply, request.partner) if safety is not None else None
    return screen_line(request_id, found) if found is not None else None


def screen_line(request_id: object, found: Help) -> dict[str, Any]:
    """The output for a reply the safety screen (or the model's check) stops: the ``screen`` object."""
    return _with_id(request_id, screen=found.model_dump(mode="json"))


def grade_line(raw: str, grade: GradeFunction, safety: Safety | None = None) -> dict[str, Any]:
    """The output object for one input line: a grade, the screen, or an error naming what was wrong.

    The ``id`` is echoed as given (any JSON value) whenever the line is an object that has one.
    """
    request_id, request = parse_line(raw)
    if not isinstance(request, GradeRequest):
        return request
    length = len(request.reply.strip())
    if length > MAX_REPLY_CHARS:
        # The API's limit: a reply the API would refuse is not graded here either.
        detail = f"the reply is {length} characters long; the limit is {MAX_REPLY_CHARS}"
        return _error(request_id, "invalid_reply", detail)
    stopped = screened(request_id, request, safety)
    if stopped is not None:
        return stopped
    context = GradeContext(partner=request.partner, history=tuple(request.history))
    try:
        return render(request_id, grade(request.reply, context))
    except Exception as exc:
        return _failed(request_id, exc)


def grade_stream(
    lines: Iterable[str], out: TextIO, grade: GradeFunction, safety: Safety | None = None
) -> int:
    """Grade every line of ``lines`` into ``out``; returns how many lines were written."""
    written = 0
    for raw in lines:
        out.write(json.dumps(grade_line(raw, grade, safety), ensure_ascii=False))
        out.write("\n")
        written += 1
    out.flush()
    return written


def _utf8(stream: TextIO, errors: str) -> TextIO:
    """Read and write UTF-8 whatever the locale says; bad input bytes or lone surrogates never crash."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(encoding="utf-8", errors=errors)
    return stream


def run(settings: Settings, args: argparse.Namespace) -> int:
    try:
        if args.engine == "llm":
            from trainer.commands.grade_llm import run_llm

            return run_llm(settings, args, _utf8(sys.stdin, "replace"), _utf8(sys.stdout, "backslashreplace"))
        grade = select_grader(settings, args.engine)
        safety = Safety.load(settings.safety_resources_path, settings.screen_reader)
    except EngineUnavailable as exc:
        print(f"trainer grade: {exc}", file=sys.stderr)
        return 2
    except ContentError as exc:
        print(f"trainer grade: {exc.detail}", file=sys.stderr)
        return 2
    # backslashreplace writes a lone surrogate as a JSON escape ("\\ud800"), so the line stays valid JSON.
    grade_stream(_utf8(sys.stdin, "replace"), _utf8(sys.stdout, "backslashreplace"), grade, safety)
    return 0

"""Every error the API returns, as ``application/problem+json`` (RFC 9457), from this one mapping.

The trainer's own errors (``trainer.vocabulary.errors``) map by class; Litestar's HTTP errors (validation,
404, 405, 413, ...) keep their status; anything else is a 500 whose body says nothing about the
cause (the traceback goes to the server log only).
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

import sqlalchemy.exc
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ExceptionHandlersMap
from pydantic import BaseModel, ConfigDict

from trainer.vocabulary import errors

PROBLEM_JSON = "application/problem+json"
DATABASE_BUSY = (sqlalchemy.exc.OperationalError, sqlalchemy.exc.TimeoutError)
TYPE_PREFIX = "urn:trainer:problem:"

logger = logging.getLogger("trainer.api")

# Most specific class first is not needed: the lookup walks the raised error's MRO.
STATUS_BY_ERROR: dict[type[errors.TrainerError], int] = {
    errors.InvalidReply: 422,
    errors.JoinRefused: 422,
    errors.RewindRefused: 422,
    errors.ScenarioRejected: 422,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.IdempotencyMismatch: 422,
    errors.AuthError: 401,
    errors.Forbidden: 403,
    errors.RateLimited: 429,
    errors.ProviderError: 502,
    errors.ContentError: 500,
    errors.TrainerError: 500,
}


class FieldProblem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str
    message: str
    source: str | None = None


class Problem(BaseModel):
    """The body of every error response."""

    model_config = ConfigDict(extra="forbid")

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldProblem] | None = None


def _slug(name: str) -> str:
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in name).lstrip("-")


def status_for(error: errors.TrainerError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return HTTP_500_INTERNAL_SERVER_ERROR


def _field_problems(extra: Any) -> list[FieldProblem]:
    if not isinstance(extra, list):
        return []
    found: list[FieldProblem] = []
    for item in extra:
        if isinstance(item, dict) and item.get("key"):
            source = item.get("source")
            found.append(
                FieldProblem(
                    field=str(item["key"]),
                    message=str(item.get("message", "invalid value")),
                    source=str(source) if source is not None else None,
                )
            )
    return found


def _from_trainer_error(error: errors.TrainerError) -> tuple[Problem, dict[str, str]]:
    status = status_for(error)
    headers: dict[str, str] = {}
    if isinstance(error, errors.AuthError) and not isinstance(error, errors.Forbidden):
        headers["WWW-Authenticate"] = 'Bearer realm="trainer"'
    if isinstance(error, errors.RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    if status >= 500:
        # Server-side faults (a content file, a provider) are not the client's business in detail.
        problem = Problem(
            type=TYPE_PREFIX + "internal",
            title="Internal server error",
            status=status,
            detail="The server could not complete the request.",
        )
        return problem, headers
    name = _slug(type(error).__name__)
    fields = None
    if isinstance(error, errors.ScenarioRejected):
        fields = [FieldProblem(field=path, message=message, source="body") for path, message in error.issues]
    problem = Problem(
        type=TYPE_PREFIX + name, title=error.title, status=status, detail=error.detail, errors=fields
    )
    return problem, headers


def _from_http_exception(error: HTTPException) -> tuple[Problem, dict[str, str]]:
    status = error.status_code
    fields = _field_problems(error.extra) if isinstance(error, ValidationException) else []
    if fields:
        status = 422
        named = ", ".join(f"{f.field}: {f.message}" for f in fields)
        problem = Problem(
            type=TYPE_PREFIX + "validation",
            title="Invalid request",
            status=status,
            detail=f"Invalid request: {named}",
            errors=fields,
        )
        return problem, {}
    if isinstance(error, ValidationException):
        detail = error.detail or "The request body could not be read"
        return Problem(type=TYPE_PREFIX + "bad-request", title="Bad request", status=400, detail=detail), {}
    phrase = _STATUS_TITLES.get(status, "Error")
    if status >= 500:
        return Problem(
            type=TYPE_PREFIX + "internal",
            title=phrase,
            status=status,
            detail="The server could not complete the request.",
        ), {}
    headers = {k: v for k, v in (error.headers or {}).items() if k.lower() in ("allow", "retry-after")}
    return Problem(
        type=TYPE_PREFIX + phrase.lower().replace(" ", "-"),
        title=phrase,
        status=status,
        detail=error.detail or phrase,
    ), headers


_STATUS_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Request body too large",
    415: "Unsupported media type",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


def problem_for(error: Exception) -> tuple[Problem, dict[str, str]]:
    """The problem (and extra headers) for any exception; unknown ones are an opaque 500."""
    if isinstance(error, errors.TrainerError):
        return _from_trainer_error(error)
    if isinstance(error, HTTPException):
        return _from_http_exception(error)
    if isinstance(error, DATABASE_BUSY):
        # A locked SQLite file or an exhausted pool passes: the request is safe to send again.
        return Problem(
            type=TYPE_PREFIX + "database-busy",
            title="Service unavailable",
            status=503,
            detail="The database is busy; retry the request in a moment (a retried turn with the same "
            "Idempotency-Key is never stored twice).",
        ), {"Retry-After": "1"}
    return Problem(
        type=TYPE_PREFIX + "internal",
        title="Internal server error",
        status=500,
        detail="The server could not complete the request.",
    ), {}


def _log_failure(request: Request[Any, Any, Any], status: int, error: Exception) -> None:
    """The stack at ERROR, but not the error's message: it may quote a reply (pydantic does)."""
    stack = "".join(traceback.format_list(traceback.extract_tb(error.__traceback__)))
    logger.error(
        "request failed",
        extra={
            "method": request.method,
            "path": request.url.path,
            "status": status,
            "error": type(error).__name__,
            "stack": stack,
        },
    )
    logger.debug("request failed: %s", error, exc_info=error)


def problem_response(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    """Litestar exception handler: the one place an exception becomes an HTTP error response."""
    problem, headers = problem_for(error)
    problem.instance = request.url.path
    if problem.status >= 500:
        _log_failure(request, problem.status, error)
    return Response(
        content=problem.model_dump(mode="json", exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers or None,
    )


EXCEPTION_HANDLERS: ExceptionHandlersMap = {Exception: problem_response}

"""OpenAPI helpers every controller uses: documented responses with examples, the problems a route
may return, request-body examples, and the ``Idempotency-Key`` header."""

from __future__ import annotations

from typing import Annotated, Any

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Body, HeaderParameter, PathParameter
from pydantic import BaseModel

from trainer.api.problems import PROBLEM_JSON, Problem

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        required=False,
        min_length=1,
        max_length=200,
        description="Any unique string per reply; resending the same request with it returns the same turn",
    ),
]

# Row ids fit both databases' integer columns (PostgreSQL's is 32 bits): a bigger id is a 400/422.
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, PathParameter(ge=1, le=MAX_ROW_ID)]

_PROBLEMS: dict[int, tuple[str, str, str]] = {
    404: ("Not found", "no session 'Vb3cZk0u9yq2GmTqfX1w8Q'", "The session (or scenario) does not exist"),
    409: (
        "Another reply was posted at the same time",
        "Another reply to this session was stored first. Read the session and retry the request; "
        "it is safe to retry.",
        "The session is not active, or another reply won the race (retry)",
    ),
    422: (
        "Invalid request",
        "Invalid request: reply: String should have at least 1 character",
        "The body is invalid, or the Idempotency-Key was used for a different request",
    ),
    429: (
        "Too many requests",
        "A learner is limited to 30 requests a minute; retry the request after 12 s (see Retry-After).",
        "A rate limit was reached; wait for Retry-After seconds",
    ),
}


def problem_response(
    status: int, title: str, detail: str, description: str, instance: str = "/v1/sessions"
) -> ResponseSpec:
    """The OpenAPI entry, with an example, for one problem+json error a route may return."""
    example = Problem(
        type="urn:trainer:problem:" + title.lower().replace(" ", "-"),
        title=title,
        status=status,
        detail=detail,
        instance=instance,
    ).model_dump(exclude_none=True)
    return ResponseSpec(
        data_container=Problem,
        description=description,
        media_type=PROBLEM_JSON,
        generate_examples=False,
        examples=[Example(summary=title, value=example)],
    )


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries, each with an example, for the problem+json errors a route may return."""
    return {status: problem_response(status, *_PROBLEMS[status]) for status in statuses}


def example_of(model: type[BaseModel]) -> dict[str, Any]:
    """The first example in a schema model's config (``json_schema_extra``)."""
    extra = model.model_config.get("json_schema_extra")
    assert isinstance(extra, dict), model.__name__
    examples = extra["examples"]
    assert isinstance(examples, list)
    first = examples[0]
    assert isinstance(first, dict)
    return first


def body_of(model: type[BaseModel]) -> Any:
    """``Body`` metadata that shows the model's example in the OpenAPI request body."""
    return Body(examples=[Example(summary=model.__name__, value=example_of(model))])


def documented(
    model: type[BaseModel], status: int, *problems: int, example: dict[str, Any] | None = None
) -> dict[int, ResponseSpec]:
    """The success response (with an example; Litestar ignores model-level examples) and the problems."""
    value = example if example is not None else example_of(model)
    return {
        status: ResponseSpec(
            data_container=model,
            description="Success",
            generate_examples=False,
            examples=[Example(summary=model.__name__, value=value)],
        ),
        **problem_responses(*problems),
    }

"""The served OpenAPI document, finished: what Litestar's generator cannot say on its own.

``finish_document(app)`` wraps the OpenAPI plugin so that ``/schema/openapi.json`` (and the pages
under ``/schema``) serve the document after ``finish``:

- readable ``operationId``s (``postTurn``, not ``V1SessionsSessionIdTurnsPostTurn``);
- every error a route can answer, as ``application/problem+json``: 401 (every ``/v1`` route), 403
  (role rules), 404, 409, 413 and 400/422 (bodies), 429 (rate limits) and 503 (database busy);
- response headers: ``Retry-After`` on 429 and 503, ``Idempotent-Replayed`` on a turn;
- ``additionalProperties: false`` on the models that refuse extra fields, and a description on every
  schema (the model's docstring);
- text fields carry the input edge's rule (no control characters) as a ``pattern``;
- links from what creates a session, a cohort or a learner to what reads it, for stateful clients.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Iterator
from typing import Any

from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin
from pydantic import BaseModel

from trainer.vocabulary.messages import NOT_BLANK

Document = dict[str, Any]

# No control characters but tab, LF and CR (``trainer.api.edge`` refuses them), for text fields.
_CONTROLS = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f"
TEXT_PATTERN = f"^[^{_CONTROLS}]*$"
# The same, for a field that must also say something (``NOT_BLANK``): one character that is neither
# white space nor a control character. U+0085 (next line) is white space to Python's strip, which the
# server applies, but not to a JSON Schema "\s" (ECMA-262), so it is named.
NOT_BLANK_TEXT_PATTERN = f"^[^{_CONTROLS}]*[^\\s\\u0085{_CONTROLS}][^{_CONTROLS}]*$"

OPERATION_IDS: dict[tuple[str, str], str] = {
    ("get", "/healthz"): "health",
    ("get", "/livez"): "live",
    ("get", "/readyz"): "ready",
    ("get", "/metrics"): "metrics",
    ("get", "/v1/scenarios"): "listScenarios",
    ("get", "/v1/scenarios/{scenario_id}"): "getScenario",
    ("post", "/v1/grade"): "gradeReply",
    ("post", "/v1/sessions"): "startSession",
    ("get", "/v1/sessions"): "listSessions",
    ("get", "/v1/sessions/{session_id}"): "getSession",
    ("post", "/v1/sessions/{session_id}/turns"): "postTurn",
    ("post", "/v1/sessions/{session_id}/turns/stream"): "streamTurn",
    ("post", "/v1/sessions/{session_id}/resume"): "resumeSession",
    ("post", "/v1/sessions/{session_id}/rewind"): "rewindSession",
    ("get", "/v1/scenarios/schema"): "getScenarioSchema",
    ("post", "/v1/scenarios/check"): "checkScenario",
    ("post", "/v1/scenarios"): "createScenario",
    ("put", "/v1/scenarios/{scenario_id}"): "replaceScenario",
    ("delete", "/v1/scenarios/{scenario_id}"): "retireScenario",
    ("get", "/v1/sessions/{session_id}/report"): "getReport",
    ("get", "/v1/sessions/{session_id}/hint"): "getHint",
    ("get", "/v1/learners/{learner_id}/progress"): "getLearnerProgress",
    ("delete", "/v1/learners/{learner_id}"): "eraseLearner",
    ("post", "/v1/cohorts"): "createCohort",
    ("get", "/v1/cohorts"): "listCohorts",
    ("get", "/v1/cohorts/{cohort_id}"): "getCohort",
    ("get", "/v1/cohorts/{cohort_id}/progress"): "getCohortProgress",
    ("get", "/v1/cohorts/{cohort_id}/progress.csv"): "getCohortProgressCsv",
    ("post", "/v1/cohorts/{cohort_id}/learners"): "addLearner",
    ("delete", "/v1/cohorts/{cohort_id}/members/{member_id}"): "removeMember",
    ("post", "/v1/cohorts/{cohort_id}/revoke-code"): "revokeCode",
    ("post", "/v1/cohorts/{cohort_id}/codes"): "issueCode",
    ("delete", "/v1/cohorts/{cohort_id}/codes/{code}"): "deleteCode",
}

PROBLEMS: dict[int, str] = {
    400: "The body or a parameter could not be read (not JSON, not UTF-8, nested too deep)",
    401: "No API key, or an unknown or revoked one",
    403: "This key's role may not use this route",
    404: "No such object for this key (another tenant's, or one this key does not reach, is the same)",
    409: (
        "The session takes no more replies (or is paused by the safety screen: resume it), or another "
        "reply won the race (retry)"
    ),
    413: "The request body is larger than TRAINER_MAX_BODY_BYTES",
    415: "The body is not application/json",
    422: "A field is invalid (named in errors[]), or the Idempotency-Key was used for another request",
    429: "A rate limit was reached; retry after Retry-After seconds",
    503: "The database is busy; retry after Retry-After seconds (a turn with its Idempotency-Key is safe)",
}
TITLES: dict[int, str] = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid request",
    429: "Too many requests",
    503: "Service unavailable",
}
RETRY_AFTER = {
    "description": "Seconds to wait before retrying",
    "schema": {"type": "integer", "minimum": 1},
}
REPLAYED = {
    "description": "true when this is the stored answer to an earlier request with the same Idempotency-Key",
    "schema": {"type": "string", "enum": ["true"]},
}

# Stateful clients follow these: what a response creates, and the operations that take it.
SESSION_LINKS = {
    "getSession": "getSession",
    "postTurn": "postTurn",
    "streamTurn": "streamTurn",
    "getReport": "getReport",
    "getHint": "getHint",
    "resumeSession": "resumeSession",
}
COHORT_LINKS = {
    "getCohort": "getCohort",
    "getCohortProgress": "getCohortProgress",
    "addLearner": "addLearner",
    "issueCode": "issueCode",
    "revokeCode": "revokeCode",
}
SSE_EVENTS = (
    'Server-sent events, in this order: `partner` (data: {"text"}: the partner\'s words as they '
    "come, one or more events), `grade` (data: the turn's grade, as `turn.grade` of postTurn), "
    '`state` (data: {"index", "status", "state"}) and `done` (data: {"index"}). When the '
    "safety screen pauses on the reply, no `partner` or `grade` event comes: a `screen` event (data: "
    '{"category", "message", "resources"}, as `turn.screen` of postTurn) comes first and `state` '
    "says `paused` (POST /v1/sessions/{session_id}/resume carries on). When the model partner's line "
    'had to be replaced after some of it was sent, `partner_replaced` (data: {"text", "replaced", '
    '"reason"}) carries the whole line that replaces it, before `grade`. A failure after the stream '
    "started is one `error` event whose data is a problem (as application/problem+json) and ends the "
    "stream. Each event is `event: NAME` and `data: JSON` lines."
)

# Every event a streamed turn may send (``trainer.sessions.controller``), in the order they come.
SSE_EVENT_NAMES = ("partner", "screen", "partner_replaced", "grade", "state", "done", "error")

SSE_EVENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "One server-sent event. " + SSE_EVENTS,
    "required": ["event", "data"],
    "properties": {
        "event": {"type": "string", "enum": list(SSE_EVENT_NAMES)},
        "data": {"type": "string", "contentMediaType": "application/json", "description": "A JSON object"},
        "id": {"type": "string"},
        "retry": {"type": "integer"},
    },
}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _operations(document: Document) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def _example(status: int, path: str) -> dict[str, Any]:
    title = TITLES[status]
    return {
        "type": "urn:trainer:problem:" + title.lower().replace(" ", "-"),
        "title": title,
        "status": status,
        "detail": PROBLEMS[status],
        "instance": path,
    }


def _problem(status: int, path: str) -> dict[str, Any]:
    media = {
        "schema": {"$ref": "#/components/schemas/Problem"},
        "examples": {TITLES[status]: {"summary": TITLES[status], "value": _example(status, path)}},
    }
    response: dict[str, Any] = {
        "description": PROBLEMS[status],
        "content": {"application/problem+json": media},
    }
    headers: dict[str, Any] = {}
    if status in (429, 503):
        headers["Retry-After"] = RETRY_AFTER
    if headers:
        response["headers"] = headers
    return response


def _add_problems(path: str, method: str, operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    statuses = {503}
    if path.startswith("/v1/"):
        statuses |= {401, 429}
        writes_scenarios = path.startswith("/v1/scenarios") and method != "get"
        starts_session = path == "/v1/sessions" and method == "post"
        if path.startswith("/v1/cohorts") or starts_session or writes_scenarios:
            statuses.add(403)
        if writes_scenarios and method in ("post", "put"):
            statuses |= {413, 422}  # the body is read as a scenario (JSON or YAML), not by a schema
    if "{" in path:
        statuses.add(404)
    if "requestBody" in operation:
        statuses |= {400, 413, 415, 422}
    if any(p.get("in") in ("query", "path", "header") for p in operation.get("parameters", [])):
        statuses |= {400, 422}
    for status in sorted(statuses):
        key = str(status)
        current = responses.get(key)
        if current is None or "application/problem+json" not in current.get("content", {}):
            responses[key] = _problem(status, path)
        elif status in (429, 503):
            current.setdefault("headers", {})["Retry-After"] = RETRY_AFTER


def _text_rules(schema: Any) -> None:
    """Give every plain text field (no pattern, format or enum) the edge's no-control-characters rule."""
    if isinstance(schema, dict):
        if schema.get("type") == "string" and schema.get("pattern") == NOT_BLANK:
            schema["pattern"] = NOT_BLANK_TEXT_PATTERN
        elif (
            schema.get("type") == "string"
            and not {"pattern", "format", "enum", "const", "$ref"} & schema.keys()
        ):
            schema["pattern"] = TEXT_PATTERN
        for value in schema.values():
            _text_rules(value)
    elif isinstance(schema, list):
        for item in schema:
            _text_rules(item)


def _models() -> dict[str, type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    stack: list[type[BaseModel]] = [BaseModel]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("trainer."):
                found.setdefault(sub.__name__, sub)
            stack.append(sub)
    return found


def _describe_schemas(document: Document) -> None:
    models = _models()
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        model = models.get(name)
        if model is not None and model.model_config.get("extra") == "forbid" and "properties" in schema:
            schema["additionalProperties"] = False
        if not schema.get("description"):
            own = model.__dict__.get("__doc__") if model is not None else None
            doc = inspect.cleandoc(own) if isinstance(own, str) else None
            schema["description"] = (doc.split("\n\n")[0].replace("\n", " ") if doc else None) or _fallback(
                name, schema
            )


def _fallback(name: str, schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return f"One of: {', '.join(map(str, schema['enum']))}"
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()
    return f"The {words}"


def _links(document: Document, ids: dict[str, tuple[str, str]]) -> None:
    def link_to(target: str, parameters: dict[str, str]) -> dict[str, Any]:
        return {"operationId": target, "parameters": parameters}

    def add(
        source: str, status: str, targets: dict[str, str], parameters: Callable[[str], dict[str, str]]
    ) -> None:
        if source not in ids:
            return
        path, method = ids[source]
        response = document["paths"][path][method]["responses"].get(status)
        if response is None:
            return
        response["links"] = {
            name: link_to(target, parameters(target)) for name, target in targets.items() if target in ids
        }

    add(
        "startSession",
        "201",
        {**SESSION_LINKS, "getLearnerProgress": "getLearnerProgress", "eraseLearner": "eraseLearner"},
        lambda t: {"learner_id": "$response.body#/learner_id"}
        if t in ("getLearnerProgress", "eraseLearner")
        else {"session_id": "$response.body#/id"},
    )
    # No link to deleteCode: the code a cohort was created with stops existing when another link
    # revokes or replaces it, which a stateful client would read as a lost resource.
    add("createCohort", "201", COHORT_LINKS, lambda _t: {"cohort_id": "$response.body#/id"})


# A tenant's own scenario id follows the scenario files' rule (``trainer.content.scenario.Slug``).
SCENARIO_ID_PATTERN = "^[a-z0-9][a-z0-9_-]{1,63}$"


def _scenario_id_schema(field: dict[str, Any], scenario_ids: list[str]) -> dict[str, Any]:
    """A built-in scenario's id, or the id of one of the tenant's own (what ``GET /v1/scenarios`` lists)."""
    builtin = {"type": "string", "enum": scenario_ids}
    choices = {"anyOf": [builtin, {"type": "string", "pattern": SCENARIO_ID_PATTERN}]}
    return {key: value for key, value in field.items() if key == "description"} | choices


def _scenario_choices(schema: Any, scenario_ids: list[str]) -> None:
    """Request fields that name scenarios take the library's ids or a tenant's own scenario's id."""
    properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
    single = properties.get("scenario_id")
    if isinstance(single, dict) and single.get("type") == "string":
        properties["scenario_id"] = _scenario_id_schema(single, scenario_ids)
    several = properties.get("scenarios")
    if isinstance(several, dict) and isinstance(several.get("items"), dict):
        several["items"] = _scenario_id_schema(several["items"], scenario_ids)


def finish(document: Document, scenario_ids: list[str] | None = None) -> Document:
    ids: dict[str, tuple[str, str]] = {}
    for path, method, operation in _operations(document):
        operation_id = OPERATION_IDS.get((method, path)) or _camel(operation.get("operationId", method))
        operation["operationId"] = operation_id
        ids[operation_id] = (path, method)
        _add_problems(path, method, operation)
        if operation_id in ("postTurn", "streamTurn"):
            ok = operation["responses"].get("201" if operation_id == "postTurn" else "200", {})
            ok.setdefault("headers", {})["Idempotent-Replayed"] = REPLAYED
        if operation_id == "streamTurn":
            ok = operation["responses"]["200"]
            ok["description"] = SSE_EVENTS
            for media in ok.get("content", {}).values():
                media["schema"] = SSE_EVENT_SCHEMA
        if "requestBody" in operation:
            _text_rules(operation["requestBody"])
        for parameter in operation.get("parameters", []):
            _text_rules(parameter.get("schema"))
    _describe_schemas(document)
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        if name != "Problem" and name in _request_models(document):
            _text_rules(schema)
            if scenario_ids:
                _scenario_choices(schema, scenario_ids)
    _links(document, ids)
    return document


def _request_models(document: Document) -> set[str]:
    """Component schemas that request bodies use (directly or nested)."""
    schemas = document.get("components", {}).get("schemas", {})
    found: set[str] = set()
    stack = [op["requestBody"] for _p, _m, op in _operations(document) if "requestBody" in op]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[-1]
                if name not in found:
                    found.add(name)
                    stack.append(schemas.get(name))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def finish_document(app: Litestar, scenario_ids: list[str]) -> None:
    """Serve the finished document from ``app``'s OpenAPI plugin (built once, when the app is made)."""
    plugin = app.plugins.get(OpenAPIPlugin)
    plugin._openapi_schema = finish(copy.deepcopy(plugin.provide_openapi().to_schema()), scenario_ids)

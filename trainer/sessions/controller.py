"""``/v1/sessions``: start a practice session, post replies (plain or streamed), read it back.

Thin: each handler reads the request, calls ``trainer.sessions.service`` and shapes the answer. Errors
are the domain's (``trainer.vocabulary.errors``), turned into problem+json in one place
(``trainer.api.problems``).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import FromPath, QueryParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage
from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.access import Need, check_new_learner, check_session, reachable_learner
from trainer.api.auth import Principal, require_role
from trainer.api.openapi import IdempotencyKey, body_of, documented, problem_response, problem_responses
from trainer.api.problems import problem_for
from trainer.api.ratelimit import RateLimiter
from trainer.content.library import ContentLibrary
from trainer.engines import Engines
from trainer.sessions import learners, service
from trainer.sessions.reports import SessionReport
from trainer.sessions.rewind import Rewind, RewindRequest, RewindResponse, rewind_session
from trainer.sessions.schemas import (
    REPORT,
    CreateSession,
    HintView,
    MessageView,
    PartnerName,
    SessionDetail,
    SessionPage,
    SessionSummary,
    SessionView,
    StateView,
    TurnRequest,
    TurnResponse,
    TurnView,
)
from trainer.sessions.service import LiveTurn, NewReply, SessionRecord, Streaming, TurnOutcome, TurnTasks
from trainer.settings import Settings
from trainer.store.tables import Role
from trainer.vocabulary.errors import NotFound
from trainer.vocabulary.times import as_utc

REPLAYED_HEADER = "Idempotent-Replayed"
logger = logging.getLogger("trainer.api")


def session_view(record: SessionRecord) -> SessionView:
    return SessionView(**_view_fields(record))


def _view_fields(record: SessionRecord) -> dict[str, Any]:
    session = record.session
    return {
        "id": session.id,
        "scenario_id": session.scenario_id,
        "scenario_version": session.scenario_version,
        "learner_id": record.learner_id,
        "status": session.status,
        "partner": PartnerName(name=record.scenario.partner.name),
        "messages": [MessageView(role=m.role, text=m.text) for m in record.messages],
        "state": StateView.of(session.state),
        "max_turns": record.scenario.max_turns,
        "turn_count": session.turn_count,
        "attempts": session.attempts,
        "created_at": session.created_at,
        "updated_at": session.updated_at,
    }


def turn_response(outcome: TurnOutcome) -> Response[TurnResponse]:
    headers = {REPLAYED_HEADER: "true"} if outcome.replayed else None
    return Response(outcome.response, status_code=201, headers=headers)


def _cursor_of(created_at: datetime, session_id: str) -> str:
    moment = as_utc(created_at).isoformat()  # with its zone: SQLite gives naive UTC times back
    return base64.urlsafe_b64encode(f"{moment}|{session_id}".encode()).decode()


_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


def _parse_cursor(cursor: str) -> tuple[datetime, str]:
    """What ``_cursor_of`` made: a time with its zone and a session id; anything else is a 422."""
    try:
        created_at, _, session_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        moment = datetime.fromisoformat(created_at)
        if moment.tzinfo is None or not _SESSION_ID.fullmatch(session_id):
            raise ValueError(cursor)
        return moment.astimezone(UTC), session_id
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError):
        raise ValidationException(
            detail="Invalid cursor",
            extra=[
                {
                    "key": "cursor",
                    "message": "not a cursor this API gave out; pass next_cursor from the previous page",
                    "source": "query",
                }
            ],
        ) from None


def _event(name: str, body: BaseModel | dict[str, Any]) -> ServerSentEventMessage:
    data = body.model_dump_json() if isinstance(body, BaseModel) else json.dumps(body, separators=(",", ":"))
    return ServerSentEventMessage(event=name, data=data)


def _closing_events(response: TurnResponse) -> list[ServerSentEventMessage]:
    """After the partner's words: the grade (or, when the safety screen paused, the screen), then the
    state and done. A partner line replaced after some of it was shown comes again whole, marked."""
    turn = response.turn
    state = {"index": turn.index, **response.session.model_dump(mode="json")}
    events: list[ServerSentEventMessage] = []
    if turn.screen is not None:
        events.append(_event("screen", turn.screen))
    if turn.partner.replaced:
        events.append(_event("partner_replaced", turn.partner))
    if turn.grade is not None:
        events.append(_event("grade", turn.grade))
    return [*events, _event("state", state), _event("done", {"index": turn.index})]


class SessionsController(Controller):
    path = "/sessions"
    tags = ["sessions"]  # noqa: RUF012 (Litestar reads this class attribute)

    @post(
        "/",
        summary="Start a practice session",
        status_code=201,
        guards=[require_role(Role.app)],
        responses={
            **documented(SessionView, 201, 404, 422, 429),
            409: problem_response(
                409,
                "Scenario retired",
                "The scenario 'our-own-scenario' was retired: it takes no new sessions (those already "
                "started keep working). GET /v1/scenarios lists the scenarios you can use.",
                "The tenant's own scenario was retired: it takes no new sessions",
            ),
        },
    )
    async def create(
        self,
        data: Annotated[CreateSession, body_of(CreateSession)],
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        limiter: NamedDependency[RateLimiter],
        principal: NamedDependency[Principal],
        settings: NamedDependency[Settings],
    ) -> SessionView:
        await check_new_learner(db, principal.actor, data.learner_id)
        await db.commit()  # end the read: starting takes the write gate
        record = await service.start_session(
            db,
            library,
            limiter,
            principal.tenant_id,
            data.scenario_id,
            data.learner_id,
            principal.actor,
            hourly_cap=settings.sessions_per_learner_per_hour,
        )
        return session_view(record)

    @get("/", summary="A learner's sessions, newest first", responses=documented(SessionPage, 200, 422, 429))
    async def list_sessions(
        self,
        db: NamedDependency[AsyncSession],
        limiter: NamedDependency[RateLimiter],
        principal: NamedDependency[Principal],
        learner_id: Annotated[str, QueryParameter(min_length=1, max_length=200)],
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
        cursor: Annotated[str | None, QueryParameter(max_length=400)] = None,
    ) -> SessionPage:
        before = _parse_cursor(cursor) if cursor else None
        try:  # a learner this key does not reach is listed like one that does not exist: no sessions
            await reachable_learner(db, principal.actor, learner_id, Need.aggregates)
        except NotFound:
            await db.commit()
            return SessionPage(items=[], next_cursor=None)
        rows, more = await learners.learner_sessions_page(
            db, limiter, principal.tenant_id, learner_id, limit=limit, before=before
        )
        next_cursor = _cursor_of(rows[-1].created_at, rows[-1].id) if more and rows else None
        return SessionPage(items=[SessionSummary.of(row) for row in rows], next_cursor=next_cursor)

    @get(
        "/{session_id:str}",
        summary="A session with every turn",
        responses=documented(SessionDetail, 200, 404),
    )
    async def read(
        self,
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        principal: NamedDependency[Principal],
        session_id: FromPath[str],
    ) -> SessionDetail:
        await check_session(db, principal.actor, session_id, Need.transcript)
        record = await service.read_session(db, library, principal.tenant_id, session_id)
        return SessionDetail(**_view_fields(record), turns=[TurnView.of(turn) for turn in record.turns])

    @post(
        "/{session_id:str}/turns",
        summary="Post the learner's reply: the grade and the partner's answer",
        status_code=201,
        responses=documented(TurnResponse, 201, 404, 409, 422, 429),
    )
    async def post_turn(
        self,
        data: Annotated[TurnRequest, body_of(TurnRequest)],
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        engines: NamedDependency[Engines],
        limiter: NamedDependency[RateLimiter],
        principal: NamedDependency[Principal],
        session_id: FromPath[str],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[TurnResponse]:
        await check_session(db, principal.actor, session_id, Need.write)
        request = NewReply(principal.tenant_id, session_id, data.reply, idempotency_key)
        return turn_response(await service.submit_turn(db, library, limiter, engines, request))

    @post(
        "/{session_id:str}/turns/stream",
        summary="Post the learner's reply and stream the answer (server-sent events)",
        description=(
            'Events: `partner` ({"text"}: the partner\'s words as they come), then `grade` (the grade), '
            '`state` ({"index", "status", "state"}) and `done` ({"index"}). When the safety screen '
            'pauses on the reply, no `partner` or `grade` event comes: a `screen` event ({"category", '
            '"message", "resources"}) comes first, and `state` says `paused`. When the model partner\'s '
            'line had to be replaced after some of it was sent, `partner_replaced` ({"text", "replaced", '
            '"reason"}) carries the whole line that replaces it. A failure after the stream started is an '
            "`error` event carrying a problem. The turn is stored even if the client disconnects mid-stream."
        ),
        status_code=200,
        responses={
            **problem_responses(404, 409, 422, 429),
            200: ResponseSpec(
                data_container=str,
                media_type="text/event-stream",
                description="The turn as server-sent events",
                generate_examples=False,
                examples=[
                    Example(
                        summary="A streamed turn",
                        value=(
                            'event: partner\r\ndata: {"text":"Yes. "}\r\n\r\n'
                            'event: grade\r\ndata: {"behaviours":[],"rubrics":{},"tip":"...",'
                            '"engine":"rules","degraded":false}\r\n\r\n'
                            'event: state\r\ndata: {"index":0,"status":"active",'
                            '"state":{"stage":"clarifying","safety":62}}\r\n\r\n'
                            'event: done\r\ndata: {"index":0}\r\n\r\n'
                        ),
                    )
                ],
            ),
        },
    )
    async def stream_turn(
        self,
        data: Annotated[TurnRequest, body_of(TurnRequest)],
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        engines: NamedDependency[Engines],
        limiter: NamedDependency[RateLimiter],
        turn_tasks: NamedDependency[TurnTasks],
        principal: NamedDependency[Principal],
        state: State,
        session_id: FromPath[str],
        idempotency_key: IdempotencyKey = None,
    ) -> ServerSentEvent:
        await check_session(db, principal.actor, session_id, Need.write)
        request = NewReply(principal.tenant_id, session_id, data.reply, idempotency_key)
        streaming = Streaming(state.sessionmaker, turn_tasks)
        turn = await service.submit_turn(db, library, limiter, engines, request, streaming)
        if isinstance(turn, TurnOutcome):
            replay = turn.response
            said = replay.turn.partner.text
            spoken = [_event("partner", {"text": said})] if said else []
            events = [*spoken, *_closing_events(replay)]
            return ServerSentEvent(_replayed(events), headers={REPLAYED_HEADER: "true"})
        return ServerSentEvent(_live_events(turn))

    @post(
        "/{session_id:str}/rewind",
        summary="Go back to just before a turn, to try that reply again",
        description=(
            "The partner's state becomes exactly what it was before turn `to`; the turns from there on "
            "stay readable as an earlier attempt (`superseded`). Idempotency-Key and 409 as for turns."
        ),
        status_code=200,
        responses=documented(RewindResponse, 200, 404, 409, 422, 429),
    )
    async def rewind(
        self,
        data: Annotated[RewindRequest, body_of(RewindRequest)],
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        limiter: NamedDependency[RateLimiter],
        principal: NamedDependency[Principal],
        session_id: FromPath[str],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[RewindResponse]:
        await check_session(db, principal.actor, session_id, Need.write)
        request = Rewind(principal.tenant_id, session_id, data.to, idempotency_key)
        outcome = await rewind_session(db, library, limiter, request)
        headers = {REPLAYED_HEADER: "true"} if outcome.replayed else None
        return Response(outcome.response, status_code=200, headers=headers)

    @post(
        "/{session_id:str}/resume",
        summary="Carry on a session the safety screen paused",
        description=(
            "A reply that signals risk pauses the role-play (the session's status is `paused`, and a "
            "new reply is a 409). Resuming makes the session active again, the partner as it was."
        ),
        status_code=200,
        responses=documented(SessionView, 200, 404, 409, 429),
    )
    async def resume(
        self,
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        principal: NamedDependency[Principal],
        session_id: FromPath[str],
    ) -> SessionView:
        await check_session(db, principal.actor, session_id, Need.write)
        return session_view(await service.resume_session(db, library, principal.tenant_id, session_id))

    @get(
        "/{session_id:str}/report",
        summary="How the session went, per rubric",
        responses=documented(SessionReport, 200, 404, example=REPORT),
    )
    async def report(
        self,
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        principal: NamedDependency[Principal],
        session_id: FromPath[str],
    ) -> SessionReport:
        await check_session(db, principal.actor, session_id, Need.aggregates)
        return await service.report_for(db, library, principal.tenant_id, session_id)

    @get(
        "/{session_id:str}/hint",
        summary="An exemplar next reply",
        responses=documented(HintView, 200, 404, 429),
    )
    async def hint(
        self,
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        limiter: NamedDependency[RateLimiter],
        principal: NamedDependency[Principal],
        session_id: FromPath[str],
        attempt: Annotated[int, QueryParameter(ge=0, le=100)] = 0,
    ) -> HintView:
        await check_session(db, principal.actor, session_id, Need.write)
        reply = await service.hint_for(db, library, limiter, principal.tenant_id, session_id, attempt)
        return HintView(reply=reply)


async def _replayed(events: list[ServerSentEventMessage]) -> AsyncIterator[ServerSentEventMessage]:
    for event in events:
        yield event


async def _live_events(turn: LiveTurn) -> AsyncIterator[ServerSentEventMessage]:
    """The partner's words as they come, then the stored turn. Cancelling this never cancels its task."""
    pieces, task = turn.pieces, turn.task
    piece = await pieces.get()
    while piece is not None:
        # Words that came while the last event was being sent go out together: fewer, fuller writes.
        text = ""
        while piece is not None:
            text += piece
            if pieces.empty():
                break
            piece = pieces.get_nowait()
        yield _event("partner", {"text": text})
        if piece is not None:
            piece = await pieces.get()
    try:
        outcome = await asyncio.shield(task)
    except Exception as error:  # the stream has begun: a failure can only be told as an event
        problem, _ = problem_for(error)
        if problem.status >= 500:
            logger.error("streamed turn failed", extra={"error": type(error).__name__})
        yield _event("error", problem)
        return
    for event in _closing_events(outcome.response):
        yield event

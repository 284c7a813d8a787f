"""``/practice``: the learner's page (join with a code, pick a scenario, talk, see grades) and its
cookie-authenticated JSON endpoints under ``/practice/api``.

The endpoints reuse the session service (``trainer.sessions.service``) exactly as ``/v1/sessions`` does; the
only differences are who the caller is (a learner pass, not an API key) and that a learner reaches
only their own sessions on their cohort's programme.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody, QueryParameter
from litestar.response import Redirect
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.api.openapi import IdempotencyKey
from trainer.api.ratelimit import RateLimiter
from trainer.cohorts import service as cohorts
from trainer.content.catalogue import catalogue
from trainer.content.library import ContentLibrary
from trainer.engines import Engines
from trainer.partner.state import SessionStatus
from trainer.sessions import service
from trainer.sessions.controller import session_view
from trainer.sessions.reports import SessionReport
from trainer.sessions.rewind import Rewind, RewindRequest, rewind_session
from trainer.sessions.schemas import HintView, SessionView, TurnRequest, TurnResponse, TurnView
from trainer.sessions.service import NewReply
from trainer.sessions.store import end_session, get_session
from trainer.settings import Settings
from trainer.store.tables import PracticeSession, Turn
from trainer.vocabulary.errors import (
    AuthError,
    CohortFull,
    JoinRefused,
    NotFound,
    RateLimited,
    SessionNotActive,
)
from trainer.web import passes
from trainer.web.csrf import FormToken
from trainer.web.join_limits import JoinLimits
from trainer.web.passes import LEARNER_COOKIE, LEARNER_COOKIE_PATH, LearnerPass
from trainer.web.render import page

MAX_DISPLAY_NAME = 60
FORM_EXPIRED = "This form has expired or did not come from this page. Please try again."


@dataclass
class JoinForm:
    code: str = ""
    display_name: str = ""
    form_token: str = ""


class StartRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario_id: str = Field(min_length=1, max_length=64)


class PageSessionView(SessionView):
    """The session as the page shows it, with the reply whose feedback stands (after a reload too)."""

    last_turn: TurnView | None = Field(
        default=None,
        description="The newest reply, unless a rewind took it back: its grade, tip and 'Try that again'",
    )


def standing_turn(turns: list[Turn]) -> Turn | None:
    """The newest turn when it is live; None when there is none or a rewind came after it.

    Right after a reply the page shows its feedback and "Try that again"; right after a rewind it
    shows neither. A reload shows the same.
    """
    newest = max(turns, key=lambda turn: turn.index, default=None)
    return newest if newest is not None and not newest.superseded else None


class ShareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    share: bool


class ShareView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    share: bool


async def _programme(
    db: AsyncSession, library: ContentLibrary, tenant_id: int, scenario_ids: list[str]
) -> list[dict[str, Any]]:
    """The cohort's programme as the page lists it: the scenarios the tenant can still start."""
    usable = {entry.scenario.id: entry.scenario for entry in await catalogue(db, library, tenant_id)}
    items = []
    for scenario_id in scenario_ids:
        scenario = usable.get(scenario_id)
        if scenario is not None:
            items.append(
                {
                    "id": scenario.id,
                    "title": scenario.title,
                    "summary": scenario.summary,
                    "difficulty": scenario.difficulty,
                    "learner_role": scenario.learner_role,
                    "partner": scenario.partner.name,
                }
            )
    return items


def _join_page(
    request: Request[Any, Any, Any],
    settings: Settings,
    message: str | None,
    code: str = "",
    name: str = "",
    status: int = 200,
    *,
    scanned: bool = False,
) -> Response[str]:
    """The join form, with its form token (and the token's cookie); ``scanned`` when the code came
    in the address (the board's QR code)."""
    token = FormToken.for_page(request)
    response = page(
        "join.html",
        status_code=status,
        message=message,
        code=code,
        display_name=name,
        scanned=scanned,
        form_token=token,
    )
    FormToken.set_cookie(response, token, secure=settings.cookie_secure)
    return response


def client_address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


def _as_shown(code: str) -> str:
    """A code from the address as the board shows it (TRF4-E3Q9); anything else as it came."""
    normal = cohorts.normalise_code(code)
    return cohorts.display_code(normal) if len(normal) == cohorts.CODE_LENGTH else code


class EndedView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ended: bool
    status: SessionStatus


async def _own_session(db: AsyncSession, learner: LearnerPass, session_id: str) -> PracticeSession:
    """The session; NotFound unless it is this learner's (and so in their cohort's tenant)."""
    session, owner = await get_session(db, learner.tenant_id, session_id)
    if owner.external_id != learner.learner_id:
        raise NotFound(f"no session {session_id!r}")
    await db.commit()
    return session


def _refuse_if_ended(session: PracticeSession) -> None:
    if session.ended_at is not None:
        raise SessionNotActive("You ended this conversation. Pick a conversation to start a new one.")


class PracticePage(Controller):
    path = "/practice"
    include_in_schema = False

    @get("/")
    async def show(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        settings: NamedDependency[Settings],
        code: Annotated[str, QueryParameter(name="code", max_length=20)] = "",
    ) -> Response[str]:
        token = passes.cookie_of(request, LEARNER_COOKIE)
        try:
            learner = await passes.learner_pass(db, token)
        except AuthError as error:
            response = _join_page(
                request, settings, error.detail if token else None, code=_as_shown(code), scanned=bool(code)
            )
            if token:
                passes.clear_pass_cookie(response, settings, LEARNER_COOKIE, LEARNER_COOKIE_PATH)
            return response
        shown = await cohorts.shown_name(db, learner.member)
        return page(
            "practice.html",
            cohort=learner.cohort.name,
            display_name=shown,
            renamed=shown != learner.member.display_name,
            typed_name=learner.member.display_name,
            share=learner.member.share_transcript,
            programme=await _programme(db, library, learner.tenant_id, learner.cohort.scenarios),
        )

    @post("/join", status_code=303)
    async def join(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[JoinForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
        db: NamedDependency[AsyncSession],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        name = " ".join(data.display_name.split())
        if not FormToken.matches(request, data.form_token):
            return _join_page(request, settings, FORM_EXPIRED, data.code, name, status=403)
        if not name or len(name) > MAX_DISPLAY_NAME:
            message = f"Please give a display name of 1 to {MAX_DISPLAY_NAME} characters."
            return _join_page(request, settings, message, data.code, name, status=400)
        limits: JoinLimits = request.app.state.join_limits
        address = client_address(request)
        try:
            await limits.check_guesses(address)
            await limits.check_address(address)
            await limits.check_code(cohorts.normalise_code(data.code))
            _, member = await cohorts.join_with_code(
                db, data.code, name, max_members=settings.cohort_max_members
            )
        except RateLimited as limited:
            slow_down = _join_page(request, settings, limited.detail, data.code, name, status=429)
            slow_down.headers["Retry-After"] = str(limited.retry_after)
            return slow_down
        except JoinRefused as refused:
            await limits.count_guess(address)
            return _join_page(request, settings, refused.detail, data.code, name, status=400)
        except CohortFull as full:
            return _join_page(request, settings, full.detail, data.code, name, status=409)
        token = await passes.issue_learner_pass(db, settings, member)
        response: Response[Any] = Redirect(path="/practice", status_code=303)
        passes.set_pass_cookie(response, settings, LEARNER_COOKIE, LEARNER_COOKIE_PATH, token)
        return response

    @post("/leave", status_code=303)
    async def leave(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[AsyncSession],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        await passes.end_pass(db, passes.cookie_of(request, LEARNER_COOKIE))
        response: Response[Any] = Redirect(path="/practice", status_code=303)
        passes.clear_pass_cookie(response, settings, LEARNER_COOKIE, LEARNER_COOKIE_PATH)
        return response


class PracticeApi(Controller):
    """The page's JSON calls; a learner pass cookie is the credential (401 problem+json without one)."""

    path = "/practice/api"
    include_in_schema = False
    dependencies = {"learner": Provide(passes.provide_learner_pass)}  # noqa: RUF012

    @post("/sessions", status_code=201)
    async def start(
        self,
        data: JSONBody[StartRequest],
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        limiter: NamedDependency[RateLimiter],
        learner: NamedDependency[LearnerPass],
        settings: NamedDependency[Settings],
    ) -> PageSessionView:
        """Start a conversation, or carry on the learner's active one of the scenario (a reload)."""
        if data.scenario_id not in learner.cohort.scenarios:
            raise NotFound(f"scenario {data.scenario_id!r} is not on this workshop's programme")
        record = await service.resume_or_start(
            db,
            library,
            limiter,
            learner.tenant_id,
            data.scenario_id,
            learner.learner_id,
            None,
            hourly_cap=settings.sessions_per_learner_per_hour,
        )
        standing = standing_turn(record.turns)
        last_turn = TurnView.of(standing) if standing is not None else None
        return PageSessionView(**dict(session_view(record)), last_turn=last_turn)

    @post("/sessions/{session_id:str}/turns", status_code=201)
    async def reply(
        self,
        data: JSONBody[TurnRequest],
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        engines: NamedDependency[Engines],
        limiter: NamedDependency[RateLimiter],
        learner: NamedDependency[LearnerPass],
        session_id: FromPath[str],
        idempotency_key: IdempotencyKey = None,
    ) -> TurnResponse:
        _refuse_if_ended(await _own_session(db, learner, session_id))
        # Keys are unique per tenant; scope the page's keys to the member so learners cannot collide.
        key = f"web:{learner.member.id}:{idempotency_key}" if idempotency_key else None
        request = NewReply(learner.tenant_id, session_id, data.reply, key)
        return (await service.submit_turn(db, library, limiter, engines, request)).response

    @post("/sessions/{session_id:str}/rewind", status_code=200)
    async def rewind(
        self,
        data: JSONBody[RewindRequest],
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        limiter: NamedDependency[RateLimiter],
        learner: NamedDependency[LearnerPass],
        session_id: FromPath[str],
        idempotency_key: IdempotencyKey = None,
    ) -> SessionView:
        """"Try that again": back to just before the turn, and the conversation as it now stands."""
        _refuse_if_ended(await _own_session(db, learner, session_id))
        key = f"web:{learner.member.id}:{idempotency_key}" if idempotency_key else None
        await rewind_session(db, library, limiter, Rewind(learner.tenant_id, session_id, data.to, key))
        return session_view(await service.read_session(db, library, learner.tenant_id, session_id))

    @post("/sessions/{session_id:str}/end", status_code=200)
    async def end(
        self,
        db: NamedDependency[AsyncSession],
        learner: NamedDependency[LearnerPass],
        session_id: FromPath[str],
    ) -> EndedView:
        """The learner ends the conversation ("End and see report"): the board shows them as ended,
        not stuck. A conversation that had already finished stays as it was; ending twice is harmless.
        """
        session = await _own_session(db, learner, session_id)
        ended = session.status in (SessionStatus.active, SessionStatus.paused)
        if ended and session.ended_at is None:
            await end_session(db, session.id)
            await db.commit()
        return EndedView(ended=ended, status=SessionStatus(session.status))

    @post("/sessions/{session_id:str}/resume", status_code=200)
    async def resume(
        self,
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        learner: NamedDependency[LearnerPass],
        session_id: FromPath[str],
    ) -> SessionView:
        """Carry on after the safety screen paused the role-play."""
        _refuse_if_ended(await _own_session(db, learner, session_id))
        return session_view(await service.resume_session(db, library, learner.tenant_id, session_id))

    @get("/sessions/{session_id:str}/hint")
    async def hint(
        self,
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        limiter: NamedDependency[RateLimiter],
        learner: NamedDependency[LearnerPass],
        session_id: FromPath[str],
        attempt: Annotated[int, QueryParameter(name="attempt", ge=0, le=100)] = 0,
    ) -> HintView:
        await _own_session(db, learner, session_id)
        reply = await service.hint_for(db, library, limiter, learner.tenant_id, session_id, attempt)
        return HintView(reply=reply)

    @get("/sessions/{session_id:str}/report")
    async def report(
        self,
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        learner: NamedDependency[LearnerPass],
        session_id: FromPath[str],
    ) -> SessionReport:
        await _own_session(db, learner, session_id)
        return await service.report_for(db, library, learner.tenant_id, session_id)

    @post("/share", status_code=200)
    async def share(
        self,
        data: JSONBody[ShareRequest],
        db: NamedDependency[AsyncSession],
        learner: NamedDependency[LearnerPass],
    ) -> ShareView:
        learner.member.share_transcript = data.share
        db.add(learner.member)
        await db.commit()
        return ShareView(share=data.share)

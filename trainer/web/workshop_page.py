"""``/workshop``: the facilitator's pages (sign in with the key, create a cohort, the live board) and
the board's JSON under ``/workshop/api``.

Signing in turns a facilitator (or admin) API key into a short-lived pass cookie; the key itself is
never stored in the browser. The board polls ``/workshop/api/cohorts/{id}/progress`` every second.
A learner's transcript is readable only when that learner chose to share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter
from litestar.response import Redirect
from pydantic import BaseModel, ConfigDict
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.api.downloads import download
from trainer.api.openapi import MAX_ROW_ID, RowId
from trainer.authoring.checking import MAX_SCENARIO_BYTES
from trainer.authoring.storing import Upload, create_scenario
from trainer.cohorts import service as cohorts
from trainer.cohorts import store as repo
from trainer.cohorts.export import MEDIA_TYPE, csv_filename, progress_csv
from trainer.cohorts.service import CohortProgress, Viewer
from trainer.content.catalogue import Source, catalogue, scenario_titles
from trainer.content.library import ContentLibrary
from trainer.engines import Engines
from trainer.sessions.schemas import MessageView
from trainer.sessions.service import read_session
from trainer.settings import Settings
from trainer.store.keys import find_key_by_token
from trainer.store.tables import Role
from trainer.vocabulary.errors import AuthError, NotFound, ScenarioRejected
from trainer.web import passes
from trainer.web.csrf import FormToken
from trainer.web.passes import FACILITATOR_COOKIE, FACILITATOR_COOKIE_PATH
from trainer.web.qr import join_address, only_this_computer, qr_svg
from trainer.web.render import page

FORM_EXPIRED = "This form has expired or did not come from this page. Please sign in again."
WRONG_KEY = "That key was not accepted: it is unknown or revoked."
NOT_A_FACILITATOR = (
    "That key is an app key. Sign in with a facilitator key (trainer keys create --role facilitator)."
)


@dataclass
class LoginForm:
    key: str = ""
    form_token: str = ""


@dataclass
class CohortForm:
    name: str = ""
    # One ticked box arrives as a plain string, several as a list.
    scenarios: list[str] | str = field(default_factory=list)


@dataclass
class CodeForm:
    action: str = "new"


@dataclass
class ScenarioUpload:
    """The upload form: a scenario file (YAML or JSON) and, optionally, the cohort to add it to."""

    scenario: UploadFile | None = None
    cohort_id: str = ""


UPLOAD_LIMIT = 2 * MAX_SCENARIO_BYTES  # beyond the scenario limit, a 422 on the page still says why
NO_FILE = "Choose a scenario file (YAML or JSON) to upload."


def _media_type_of(upload: UploadFile) -> str:
    """JSON for a .json file; anything else is read as YAML (which also reads JSON)."""
    name = (upload.filename or "").lower()
    return "application/json" if name.endswith(".json") else "application/yaml"


class Transcript(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: str
    scenario_id: str
    messages: list[MessageView]


def _login_page(request: Request[Any, Any, Any], message: str | None, status: int = 200) -> Response[str]:
    """The sign-in form, with its form token (and the token's cookie)."""
    token = FormToken.for_page(request)
    response = page("workshop_login.html", status_code=status, message=message, form_token=token)
    FormToken.set_cookie(response, token, secure=request.url.scheme == "https")
    return response


async def _signed_in(request: Request[Any, Any, Any], db: AsyncSession) -> Viewer | Response[str]:
    """The viewer, or the sign-in page (with why, when a pass was there but is no good)."""
    token = passes.cookie_of(request, FACILITATOR_COOKIE)
    try:
        return await passes.facilitator_pass(db, token)
    except AuthError as error:
        return _login_page(request, error.detail if token else None, status=200 if not token else 401)


async def _scenario_choices(
    db: AsyncSession, library: ContentLibrary, tenant_id: int
) -> list[dict[str, Any]]:
    return [
        {
            "id": entry.scenario.id,
            "title": entry.scenario.title,
            "summary": entry.scenario.summary,
            "difficulty": entry.scenario.difficulty,
            "own": entry.source is Source.tenant,
            "version": entry.version,
        }
        for entry in await catalogue(db, library, tenant_id)
    ]


class WorkshopPages(Controller):
    path = "/workshop"
    include_in_schema = False

    @get("/")
    async def home(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
    ) -> Response[str]:
        viewer = await _signed_in(request, db)
        if isinstance(viewer, Response):
            return viewer
        return await _home(db, library, viewer)

    @post("/login", status_code=303)
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
        db: NamedDependency[AsyncSession],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        if not FormToken.matches(request, data.form_token):
            return _login_page(request, FORM_EXPIRED, status=403)
        key = await find_key_by_token(db, data.key.strip())
        if key is None:
            return _login_page(request, WRONG_KEY, status=401)
        if key.role not in (Role.facilitator, Role.admin):
            return _login_page(request, NOT_A_FACILITATOR, status=403)
        token = await passes.issue_facilitator_pass(db, settings, key)
        response: Response[Any] = Redirect(path="/workshop", status_code=303)
        passes.set_pass_cookie(response, settings, FACILITATOR_COOKIE, FACILITATOR_COOKIE_PATH, token)
        return response

    @post("/logout", status_code=303)
    async def logout(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[AsyncSession],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        await passes.end_pass(db, passes.cookie_of(request, FACILITATOR_COOKIE))
        response: Response[Any] = Redirect(path="/workshop", status_code=303)
        passes.clear_pass_cookie(response, settings, FACILITATOR_COOKIE, FACILITATOR_COOKIE_PATH)
        return response

    @post("/cohorts", status_code=303)
    async def create(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[CohortForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
    ) -> Response[Any]:
        viewer = await _signed_in(request, db)
        if isinstance(viewer, Response):
            return viewer
        scenarios = [data.scenarios] if isinstance(data.scenarios, str) else list(data.scenarios)
        name = " ".join(data.name.split())[:100]
        if not name or not scenarios:
            message = "Give the cohort a name and pick at least one scenario."
            return await _home(db, library, viewer, status=400, message=message)
        cohort, _ = await cohorts.create_cohort(db, library, viewer, name, scenarios)
        return Redirect(path=f"/workshop/cohorts/{cohort.id}", status_code=303)

    @get("/cohorts/{cohort_id:int}")
    async def board(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        settings: NamedDependency[Settings],
        cohort_id: RowId,
        big: Annotated[int, QueryParameter(name="big", ge=0, le=1)] = 0,
        names: Annotated[int, QueryParameter(name="names", ge=0, le=1)] = 0,
    ) -> Response[str]:
        """The facilitator's board; ``?big=1`` is the projector view, about the room only unless
        ``names=1`` (the facilitator's own choice, one click on that view) shows each learner."""
        viewer = await _signed_in(request, db)
        if isinstance(viewer, Response):
            return viewer
        cohort = await cohorts.visible_cohort(db, viewer, cohort_id)
        code = await cohorts.live_code(db, cohort)
        titles = {s.id: s.title for s in (await scenario_titles(db, library, viewer.tenant_id)).values()}
        base = (settings.public_url or str(request.base_url)).rstrip("/")
        address = join_address(base, code.code) if code else None
        return page(
            "board.html",
            cohort=cohort,
            code=cohorts.display_code(code.code) if code else None,
            join_base=base.removeprefix("http://"),
            qr=qr_svg(address, f"QR code to join: {address}") if address else None,
            local_only=only_this_computer(base),
            programme=[{"id": s, "title": titles.get(s, s)} for s in cohort.scenarios],
            big=bool(big),
            names=not big or bool(names),
        )

    @post("/cohorts/{cohort_id:int}/code", status_code=303)
    async def code(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[CodeForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
        db: NamedDependency[AsyncSession],
        cohort_id: RowId,
    ) -> Response[Any]:
        viewer = await _signed_in(request, db)
        if isinstance(viewer, Response):
            return viewer
        cohort = await cohorts.visible_cohort(db, viewer, cohort_id)
        if data.action == "revoke":
            await cohorts.revoke_code(db, cohort)
        else:
            await cohorts.issue_code(db, cohort)
            await db.commit()
        return Redirect(path=f"/workshop/cohorts/{cohort_id}", status_code=303)

    @post("/scenarios", status_code=303, request_max_body_size=UPLOAD_LIMIT)
    async def upload_scenario(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[ScenarioUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        engines: NamedDependency[Engines],
    ) -> Response[Any]:
        """Store a scenario of the facilitator's own (a new version when they have it already) and,
        when a cohort is chosen, put it on that cohort's programme. Problems are shown on the page."""
        viewer = await _signed_in(request, db)
        if isinstance(viewer, Response):
            return viewer
        cohort = None
        if data.cohort_id.strip():
            typed = data.cohort_id.strip()
            cohort_id = int(typed) if typed.isascii() and typed.isdigit() and len(typed) <= 10 else 0
            cohort_id = cohort_id if cohort_id <= MAX_ROW_ID else 0
            cohort = await cohorts.visible_cohort(db, viewer, cohort_id)
        if data.scenario is None:
            return await _home(db, library, viewer, status=422, message=NO_FILE)
        body = await data.scenario.read()
        upload = Upload(viewer.tenant_id, viewer.key_id, body, _media_type_of(data.scenario))
        try:
            entry = await create_scenario(db, library, engines, upload, new_version=True)
        except ScenarioRejected as rejected:
            name = data.scenario.filename or "The scenario"
            message = f"{name} was not accepted: it has {len(rejected.issues)} problem(s)."
            return await _home(db, library, viewer, status=422, message=message, issues=rejected.issues)
        if cohort is not None:
            await cohorts.add_to_programme(db, library, cohort, entry.scenario.id)
            return Redirect(path=f"/workshop/cohorts/{cohort.id}", status_code=303)
        return Redirect(path="/workshop", status_code=303)


async def _home(
    db: AsyncSession,
    library: ContentLibrary,
    viewer: Viewer,
    *,
    status: int = 200,
    message: str | None = None,
    issues: list[tuple[str, str]] | None = None,
) -> Response[str]:
    """The facilitator's home: their cohorts, the scenarios to choose from, and the upload form."""
    rows = []
    for cohort in await cohorts.cohorts_of(db, viewer):
        code = await cohorts.live_code(db, cohort)
        rows.append({"cohort": cohort, "code": cohorts.display_code(code.code) if code else None})
    choices = await _scenario_choices(db, library, viewer.tenant_id)
    return page(
        "workshop_home.html",
        status_code=status,
        cohorts=rows,
        scenarios=choices,
        own=[choice for choice in choices if choice["own"]],
        message=message,
        issues=[{"field": field, "message": text} for field, text in issues or []],
    )


class WorkshopApi(Controller):
    """The board's JSON calls; a facilitator pass cookie is the credential."""

    path = "/workshop/api"
    include_in_schema = False
    dependencies = {"viewer": Provide(passes.provide_viewer)}  # noqa: RUF012

    @get("/cohorts/{cohort_id:int}/progress")
    async def progress(
        self, db: NamedDependency[AsyncSession], viewer: NamedDependency[Viewer], cohort_id: RowId
    ) -> CohortProgress:
        return await cohorts.progress(db, await cohorts.visible_cohort(db, viewer, cohort_id))

    @get("/cohorts/{cohort_id:int}/progress.csv", media_type=MEDIA_TYPE)
    async def progress_as_csv(
        self, db: NamedDependency[AsyncSession], viewer: NamedDependency[Viewer], cohort_id: RowId
    ) -> Response[str]:
        """The board's "Download progress (CSV)": the same file as ``/v1/cohorts/{id}/progress.csv``."""
        progress = await cohorts.progress(db, await cohorts.visible_cohort(db, viewer, cohort_id))
        return download(progress_csv(progress), MEDIA_TYPE, csv_filename(progress))

    @get("/cohorts/{cohort_id:int}/members/{member_id:int}/transcript")
    async def transcript(
        self,
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        viewer: NamedDependency[Viewer],
        cohort_id: RowId,
        member_id: RowId,
    ) -> Transcript:
        cohort = await cohorts.visible_cohort(db, viewer, cohort_id)
        member = await repo.get_member(db, member_id)
        if member is None or member.cohort_id != cohort_id or not member.share_transcript:
            raise NotFound("This learner has not shared their transcript.")
        latest = await cohorts.latest_session_id(db, cohort, member)
        if latest is None:
            raise NotFound("This learner has not practised yet.")
        record = await read_session(db, library, cohort.tenant_id, latest)
        return Transcript(
            display_name=await cohorts.shown_name(db, member),
            scenario_id=record.scenario.id,
            messages=[MessageView(role=m.role, text=m.text) for m in record.messages],
        )

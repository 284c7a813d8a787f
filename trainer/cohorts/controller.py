"""``/v1/cohorts``: a facilitator's workshops: create one, follow its progress, manage its join code.

Facilitator and admin keys manage cohorts; a facilitator key sees only the cohorts it created (an
admin key, every cohort of its tenant). An app key may only add its own learners to a cohort of its
tenant (``POST /v1/cohorts/{id}/learners``): it cannot create cohorts or read their progress.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.api.auth import Principal, require_role
from trainer.api.downloads import download
from trainer.api.openapi import RowId, problem_response, problem_responses
from trainer.cohorts import service
from trainer.cohorts.export import COLUMNS, MEDIA_TYPE, csv_filename, progress_csv
from trainer.cohorts.service import CohortProgress, Viewer
from trainer.content.library import ContentLibrary
from trainer.settings import Settings
from trainer.store.cohort_tables import Cohort, CohortMember
from trainer.store.tables import Role
from trainer.vocabulary.messages import NOT_BLANK
from trainer.vocabulary.times import UtcDatetime

Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, pattern=NOT_BLANK, max_length=100)
]
DisplayName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, pattern=NOT_BLANK, max_length=60)
]
LearnerId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, pattern=NOT_BLANK, max_length=200)
]

facilitators = require_role(Role.facilitator)
members_of_tenant = require_role(Role.facilitator, Role.app)


class CreateCohort(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "Tuesday group", "scenarios": ["work-vent", "good-news"]}]},
    )

    name: Name
    scenarios: list[str] = Field(min_length=1, max_length=50, description="Scenario ids: the programme")


class CohortView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    name: str
    scenarios: list[str]
    join_code: str | None = Field(description="What learners type on /practice; null once revoked")
    created_at: UtcDatetime

    @classmethod
    def of(cls, cohort: Cohort, code: str | None) -> CohortView:
        assert cohort.id is not None
        return cls(
            id=cohort.id,
            name=cohort.name,
            scenarios=cohort.scenarios,
            join_code=service.display_code(code) if code else None,
            created_at=cohort.created_at,
        )


class CohortList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[CohortView]


class AddLearner(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"learner_id": "learner-42", "display_name": "Ana"}]}
    )

    learner_id: LearnerId = Field(description="Your own id for the learner (created on first use)")
    display_name: DisplayName = Field(description="The name the facilitator's board shows")


class MemberView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    member_id: int
    learner_id: str
    display_name: str
    joined_via: str

    @classmethod
    def of(cls, member: CohortMember, learner_id: str) -> MemberView:
        assert member.id is not None
        return cls(
            member_id=member.id,
            learner_id=learner_id,
            display_name=member.display_name,
            joined_via=member.joined_via,
        )


def viewer_of(principal: Principal) -> Viewer:
    return Viewer(
        tenant_id=principal.tenant_id, key_id=principal.key_id, sees_all=principal.role is Role.admin
    )


async def _view(db: AsyncSession, cohort: Cohort) -> CohortView:
    code = await service.live_code(db, cohort)
    return CohortView.of(cohort, code.code if code else None)


class CohortsController(Controller):
    path = "/cohorts"
    tags = ["cohorts"]  # noqa: RUF012 (Litestar reads this class attribute)

    @post(
        "/",
        summary="Create a cohort and its join code",
        status_code=201,
        guards=[facilitators],
        responses=problem_responses(404, 422),
    )
    async def create(
        self,
        data: JSONBody[CreateCohort],
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        principal: NamedDependency[Principal],
    ) -> CohortView:
        cohort, code = await service.create_cohort(
            db, library, viewer_of(principal), data.name, data.scenarios
        )
        return CohortView.of(cohort, code.code)

    @get("/", summary="The cohorts this key may see", guards=[facilitators])
    async def list_cohorts(
        self, db: NamedDependency[AsyncSession], principal: NamedDependency[Principal]
    ) -> CohortList:
        cohorts = await service.cohorts_of(db, viewer_of(principal))
        return CohortList(items=[await _view(db, cohort) for cohort in cohorts])

    @get("/{cohort_id:int}", summary="One cohort", guards=[facilitators], responses=problem_responses(404))
    async def read(
        self,
        db: NamedDependency[AsyncSession],
        principal: NamedDependency[Principal],
        cohort_id: RowId,
    ) -> CohortView:
        return await _view(db, await service.visible_cohort(db, viewer_of(principal), cohort_id))

    @get(
        "/{cohort_id:int}/progress",
        summary="Per learner: sessions, current state, recent rubric averages; and the room per skill",
        guards=[facilitators],
        responses=problem_responses(404),
    )
    async def progress(
        self,
        db: NamedDependency[AsyncSession],
        principal: NamedDependency[Principal],
        cohort_id: RowId,
    ) -> CohortProgress:
        cohort = await service.visible_cohort(db, viewer_of(principal), cohort_id)
        return await service.progress(db, cohort)

    @get(
        "/{cohort_id:int}/progress.csv",
        summary="The progress as CSV: one row per learner and skill (no reply text)",
        description=(
            "Columns: " + ", ".join(COLUMNS) + ". Averages are 0 to 3 with two decimals, empty when "
            "there is no scored reply yet. A text cell that a spreadsheet would read as a formula "
            "(starting with =, +, -, @) starts with an apostrophe."
        ),
        media_type=MEDIA_TYPE,
        response_description="The progress as text/csv, as an attachment",
        guards=[facilitators],
        responses=problem_responses(404),
    )
    async def progress_as_csv(
        self,
        db: NamedDependency[AsyncSession],
        principal: NamedDependency[Principal],
        cohort_id: RowId,
    ) -> Response[str]:
        cohort = await service.visible_cohort(db, viewer_of(principal), cohort_id)
        progress = await service.progress(db, cohort)
        return download(progress_csv(progress), MEDIA_TYPE, csv_filename(progress))

    @post(
        "/{cohort_id:int}/learners",
        summary="Add a learner to the cohort (an app key: then the learner is the app's to reach)",
        status_code=201,
        guards=[members_of_tenant],
        responses={
            **problem_responses(404, 422),
            409: problem_response(
                409,
                "Cohort is full",
                "This workshop is full (100 people). Ask your facilitator to open another one.",
                "The cohort already has as many members as it may (TRAINER_COHORT_MAX_MEMBERS)",
                instance="/v1/cohorts/7/learners",
            ),
        },
    )
    async def add_learner(
        self,
        data: JSONBody[AddLearner],
        db: NamedDependency[AsyncSession],
        principal: NamedDependency[Principal],
        settings: NamedDependency[Settings],
        cohort_id: RowId,
    ) -> MemberView:
        if principal.role is Role.app:
            cohort = await service.tenant_cohort(db, principal.tenant_id, cohort_id)
        else:
            cohort = await service.visible_cohort(db, viewer_of(principal), cohort_id)
        member = await service.add_learner(
            db,
            cohort,
            data.learner_id,
            data.display_name,
            actor=principal.actor,
            max_members=settings.cohort_max_members,
        )
        return MemberView.of(member, data.learner_id)

    @delete(
        "/{cohort_id:int}/members/{member_id:int}",
        summary="Take a member out of the cohort (the learner and their sessions stay)",
        description=(
            "Removing someone from a cohort is its own action: it does not erase the learner "
            "(DELETE /v1/learners/{id} does, for who may). Their practice-page pass ends with it."
        ),
        status_code=204,
        guards=[facilitators],
        responses=problem_responses(404),
    )
    async def remove_member(
        self,
        db: NamedDependency[AsyncSession],
        principal: NamedDependency[Principal],
        cohort_id: RowId,
        member_id: RowId,
    ) -> None:
        cohort = await service.visible_cohort(db, viewer_of(principal), cohort_id)
        await service.remove_member(db, cohort, member_id)

    @post(
        "/{cohort_id:int}/revoke-code",
        summary="Revoke the join code: nobody new can join until a new code is issued",
        status_code=200,
        guards=[facilitators],
        responses=problem_responses(404),
    )
    async def revoke(
        self,
        db: NamedDependency[AsyncSession],
        principal: NamedDependency[Principal],
        cohort_id: RowId,
    ) -> CohortView:
        cohort = await service.visible_cohort(db, viewer_of(principal), cohort_id)
        await service.revoke_code(db, cohort)
        return await _view(db, cohort)

    @post(
        "/{cohort_id:int}/codes",
        summary="Issue a new join code (the old one stops working)",
        status_code=201,
        guards=[facilitators],
        responses=problem_responses(404),
    )
    async def new_code(
        self,
        db: NamedDependency[AsyncSession],
        principal: NamedDependency[Principal],
        cohort_id: RowId,
    ) -> CohortView:
        cohort = await service.visible_cohort(db, viewer_of(principal), cohort_id)
        code = await service.issue_code(db, cohort)
        await db.commit()
        return CohortView.of(cohort, code.code)

    @delete(
        "/{cohort_id:int}/codes/{code:str}",
        summary="Revoke this join code",
        status_code=204,
        guards=[facilitators],
        responses=problem_responses(404),
    )
    async def delete_code(
        self,
        db: NamedDependency[AsyncSession],
        principal: NamedDependency[Principal],
        cohort_id: RowId,
        code: FromPath[str],
    ) -> None:
        cohort = await service.visible_cohort(db, viewer_of(principal), cohort_id)
        await service.revoke_code(db, cohort, code)

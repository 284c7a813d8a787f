"""POST /v1/grade: a grade with no session, from the rules or from whatever judge the engines hold."""

from __future__ import annotations

from litestar import Litestar

from tests.api.sessions_support import content_library, database_settings  # noqa: F401 (fixtures)
from tests.conftest import ApiClient
from trainer.content.library import ContentLibrary
from trainer.engines import Engines
from trainer.vocabulary.grades import Engine, Grade, GradeContext
from trainer.vocabulary.seams import Judged, Usage

PARTNER = "I lost my job today."


async def test_a_reply_is_graded_without_a_session(client: ApiClient, auth: dict[str, str]) -> None:
    body = {"partner": PARTNER, "reply": "You just lost your job, that must be a shock."}
    response = await client.post("/v1/grade", json=body, headers=auth)
    assert response.status_code == 200, response.text
    grade = response.json()
    assert set(grade) == {"behaviours", "rubrics", "tip", "engine", "degraded"}
    assert grade["engine"] == "rules" and grade["degraded"] is False
    assert grade["rubrics"]["reflection"]["score"] >= 2
    assert all(b["evidence"] in body["reply"] for b in grade["behaviours"])

    advice = {"partner": PARTNER, "reply": "You should update your CV and apply to ten places this week."}
    fixed = (await client.post("/v1/grade", json=advice, headers=auth)).json()
    assert "advice" in {b["code"] for b in fixed["behaviours"]}
    assert fixed["rubrics"]["not_fixing"]["score"] < grade["rubrics"]["not_fixing"]["score"]


async def test_history_is_accepted_and_a_blank_reply_is_a_422(
    client: ApiClient, auth: dict[str, str]
) -> None:
    history = [{"role": "partner", "text": PARTNER}, {"role": "learner", "text": "Oh no."}]
    body = {"partner": "And everyone knew I applied.", "reply": "So it's public too.", "history": history}
    assert (await client.post("/v1/grade", json=body, headers=auth)).status_code == 200
    blank = await client.post("/v1/grade", json={"partner": PARTNER, "reply": "  "}, headers=auth)
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "reply"
    wrong = await client.post("/v1/grade", json={"partner": PARTNER, "reply": "x", "extra": 1}, headers=auth)
    assert wrong.status_code in (400, 422)


class MarkingJudge:
    """A judge that says it is the model: proves the endpoint goes through the app's engines."""

    async def judge(self, reply: str, context: GradeContext, rules_grade: Grade) -> Judged:
        assert context.partner == PARTNER
        return Judged(grade=rules_grade.model_copy(update={"engine": Engine.llm}), usage=Usage(engine="llm"))


async def test_the_configured_judge_grades(
    app: Litestar, client: ApiClient, auth: dict[str, str], library: ContentLibrary
) -> None:
    offline = Engines.offline(library.rubrics)
    app.state.engines = Engines(grader=offline.grader, judge=MarkingJudge(), voice=offline.voice)
    response = await client.post("/v1/grade", json={"partner": PARTNER, "reply": "That hurts."}, headers=auth)
    assert response.status_code == 200 and response.json()["engine"] == "llm"

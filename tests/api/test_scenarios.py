"""GET /v1/scenarios and /v1/scenarios/{id}: what a learner may see, and nothing the partner hides."""

from __future__ import annotations

from tests.conftest import ApiClient
from trainer.content.library import ContentLibrary


async def test_the_list_has_every_scenario_in_id_order(client: ApiClient, auth: dict[str, str]) -> None:
    response = await client.get("/v1/scenarios", headers=auth)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["id"] for item in items] == ["another-partner", "test-partner"]
    assert items[1] == {
        "id": "test-partner",
        "title": "A test partner",
        "summary": "A partner who feels overlooked after a cancelled plan.",
        "difficulty": 1,
        "skills": ["reflection", "validation"],
        "source": "builtin",
        "version": None,
    }


async def test_one_scenario_has_the_briefing_but_not_the_secrets(
    client: ApiClient, auth: dict[str, str], library: ContentLibrary
) -> None:
    response = await client.get("/v1/scenarios/test-partner", headers=auth)
    assert response.status_code == 200
    body = response.json()
    assert body["partner"] == {"name": "Sam", "relationship": "your friend"}
    assert body["lesson"] == "Reflect before you explain."
    assert body["learner_role"].startswith("You are the partner")
    assert body["max_turns"] == library.scenario("test-partner").max_turns
    hidden = ("deeper", "lines", "exemplars", "key_points", "tuning", "situation", "voice")
    assert not set(hidden) & set(body) and "I worry I do not matter" not in response.text


async def test_an_unknown_scenario_is_a_404_problem(client: ApiClient, auth: dict[str, str]) -> None:
    response = await client.get("/v1/scenarios/no-such-thing", headers=auth)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "no-such-thing" in response.json()["detail"]

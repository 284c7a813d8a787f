"""The board's page in process: the join address, what the big screen leaves out, and the warning
when the join address only works on the facilitator's computer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import ApiClient, issue_key
from tests.web.forms import post_form
from tests.web.test_qr import decode_svg
from trainer.app import create_app
from trainer.content.library import ContentLibrary
from trainer.settings import Settings
from trainer.store.tables import Role

PUBLIC_URL = "http://192.168.1.20:8000"


@pytest.fixture
def library() -> ContentLibrary:
    return ContentLibrary.load(Settings())


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'api.db'}", public_url=PUBLIC_URL)


@pytest.fixture
async def signed_in(app: Litestar, settings: Settings, client: ApiClient) -> dict[str, Any]:
    """A cohort, and the client signed in to the board as its facilitator."""
    key = await issue_key(settings, name="facilitator", role=Role.facilitator, tenant="school")
    created = await client.post(
        "/v1/cohorts",
        json={"name": "Room", "scenarios": ["asks-for-advice"]},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert (await post_form(client, "/workshop/login", data={"key": key})).status_code == 200
    body: dict[str, Any] = created.json()
    return body


def qr_of(page: str) -> list[str]:
    match = re.search(r"<svg role=\"img\".*?</svg>", page, re.S)
    assert match is not None, "no QR code on the page"
    return decode_svg(match.group(0))


async def test_the_board_joins_at_the_public_address(client: ApiClient, signed_in: dict[str, Any]) -> None:
    page = (await client.get(f"/workshop/cohorts/{signed_in['id']}")).text
    code = signed_in["join_code"].replace("-", "")
    assert qr_of(page) == [f"{PUBLIC_URL}/practice?code={code}"]
    assert "192.168.1.20:8000/practice" in page and "local-warning" not in page
    assert 'id="cards"' in page and "Download progress (CSV)" in page and "style=" not in page


async def test_the_big_screen_leaves_out_names_and_controls_until_asked(
    client: ApiClient, signed_in: dict[str, Any]
) -> None:
    big = (await client.get(f"/workshop/cohorts/{signed_in['id']}?big=1")).text
    assert 'id="cards"' not in big and 'id="transcript"' not in big and 'data-names="0"' in big
    assert "Close joining" not in big and "Show names and states" in big
    assert qr_of(big) and signed_in["join_code"] in big
    named = (await client.get(f"/workshop/cohorts/{signed_in['id']}?big=1&names=1")).text
    assert 'id="cards"' in named and 'data-names="1"' in named and "Hide names" in named
    refused = await client.get(f"/workshop/cohorts/{signed_in['id']}?big=2")
    assert refused.status_code == 422


async def test_a_loopback_address_is_flagged_to_the_facilitator_only(
    app: Litestar, settings: Settings, library: ContentLibrary
) -> None:
    """Without TRAINER_PUBLIC_URL, a board opened at 127.0.0.1 would hand phones a dead address."""
    settings = Settings(database_url=settings.database_url)  # the migrated database, no public URL
    local = create_app(settings, library=library)
    async with AsyncTestClient(app=local, base_url="http://127.0.0.1:8000") as client:
        key = await issue_key(settings, name="facilitator", role=Role.facilitator, tenant="school")
        created = await client.post(
            "/v1/cohorts",
            json={"name": "Room", "scenarios": ["asks-for-advice"]},
            headers={"Authorization": f"Bearer {key}"},
        )
        await post_form(client, "/workshop/login", data={"key": key})
        board = (await client.get(f"/workshop/cohorts/{created.json()['id']}")).text
        assert 'id="local-warning"' in board and "TRAINER_PUBLIC_URL" in board
        assert qr_of(board)[0].startswith("http://127.0.0.1:8000/practice?code=")
        big = (await client.get(f"/workshop/cohorts/{created.json()['id']}?big=1")).text
        assert "local-warning" not in big

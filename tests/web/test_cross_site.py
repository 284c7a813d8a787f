"""Cross-site requests in a real Chromium: a page from another origin on the same machine (another
loopback port: the same *site*, so SameSite=Strict cookies go along) tries to act for the visitor.

- login CSRF: it auto-submits the join form with the attacker's code, to replace the victim's pass;
- it flips the victim's "share my transcript" with a ``no-cors`` fetch of ``text/plain``;
- it revokes the facilitator's join code with a form.

Each is refused, and the victim's state is what it was.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.live_server import LiveServer, free_port

pytestmark = pytest.mark.browser

SCENARIO = "asks-for-advice"


class AttackerSite:
    """Serves whatever HTML is put under a path, from its own loopback port."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.port = free_port()
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path, "not here").encode()
                self.send_response(200 if self.path in pages else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def attacker() -> Iterator[AttackerSite]:
    site = AttackerSite()
    site.thread.start()
    try:
        yield site
    finally:
        site.server.shutdown()


@pytest.fixture
def victim(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


def new_cohort(server: LiveServer, name: str) -> dict[str, Any]:
    response = httpx.post(
        f"{server.url}/v1/cohorts",
        json={"name": name, "scenarios": [SCENARIO]},
        headers={"Authorization": f"Bearer {server.facilitator_key}"},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def progress(server: LiveServer, cohort_id: int) -> dict[str, Any]:
    response = httpx.get(
        f"{server.url}/v1/cohorts/{cohort_id}/progress",
        headers={"Authorization": f"Bearer {server.facilitator_key}"},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def join(page: Page, server: LiveServer, code: str, name: str) -> None:
    page.goto(f"{server.url}/practice")
    page.get_by_label("Join code").fill(code)
    page.get_by_label("Your display name").fill(name)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", name="Pick a conversation to practise")).to_be_visible()


def visit(page: Page, attacker: AttackerSite, path: str, html: str) -> None:
    attacker.pages[path] = html
    page.goto(f"{attacker.url}{path}")
    page.wait_for_timeout(800)  # the page's form or fetch has gone out and been answered


def test_a_page_on_another_origin_cannot_swap_the_learners_pass(
    victim: Page, live_server: LiveServer, attacker: AttackerSite
) -> None:
    mine = new_cohort(live_server, "Victim's workshop")
    theirs = new_cohort(live_server, "Attacker's workshop")
    join(victim, live_server, mine["join_code"], "Vic")
    visit(
        victim,
        attacker,
        "/join",
        f"""<form id="f" method="post" action="{live_server.url}/practice/join">
        <input name="code" value="{theirs["join_code"]}"><input name="display_name" value="Vic">
        </form><script>document.getElementById("f").submit()</script>""",
    )
    assert progress(live_server, theirs["id"])["learners"] == []
    victim.goto(f"{live_server.url}/practice")
    expect(victim.get_by_text("Victim's workshop")).to_be_visible()


def test_a_page_on_another_origin_cannot_turn_sharing_on(
    victim: Page, live_server: LiveServer, attacker: AttackerSite
) -> None:
    cohort = new_cohort(live_server, "Private people")
    join(victim, live_server, cohort["join_code"], "Pat")
    visit(
        victim,
        attacker,
        "/share",
        f"""<script>
        fetch("{live_server.url}/practice/api/share", {{method: "POST", mode: "no-cors",
          credentials: "include", headers: {{"Content-Type": "text/plain"}}, body: '{{"share":true}}'}});
        const f = document.createElement("form");
        f.method = "post"; f.enctype = "text/plain"; f.action = "{live_server.url}/practice/api/share";
        const i = document.createElement("input"); i.name = '{{"share":true, "x":"'; i.value = '"}}';
        f.appendChild(i); document.body.appendChild(f); f.submit();
        </script>""",
    )
    (learner,) = progress(live_server, cohort["id"])["learners"]
    assert learner["shares_transcript"] is False


def test_a_page_on_another_origin_cannot_revoke_the_join_code(
    victim: Page, live_server: LiveServer, attacker: AttackerSite
) -> None:
    cohort = new_cohort(live_server, "Thursday group")
    victim.goto(f"{live_server.url}/workshop")
    victim.get_by_label("Facilitator key").fill(live_server.facilitator_key)
    victim.get_by_role("button", name="Sign in").click()
    expect(victim.get_by_role("heading", name="Your cohorts")).to_be_visible()
    visit(
        victim,
        attacker,
        "/revoke",
        f"""<form id="f" method="post" action="{live_server.url}/workshop/cohorts/{cohort["id"]}/code">
        <input name="action" value="revoke"></form>
        <script>document.getElementById("f").submit()</script>""",
    )
    current = httpx.get(
        f"{live_server.url}/v1/cohorts/{cohort['id']}",
        headers={"Authorization": f"Bearer {live_server.facilitator_key}"},
    ).json()
    assert current["join_code"] == cohort["join_code"]


def test_the_join_form_without_its_token_is_refused(live_server: LiveServer) -> None:
    """A forged join that copies every field but the token (which it cannot read) gets no pass."""
    cohort = new_cohort(live_server, "Token check")
    response = httpx.post(
        f"{live_server.url}/practice/join",
        data={
            "code": cohort["join_code"],
            "display_name": "Mallory",
            "form_token": "guessed-token-000000000",
        },
    )
    assert response.status_code == 403
    assert "trainer_practice=" not in response.headers.get("set-cookie", "")
    assert progress(live_server, cohort["id"])["learners"] == []

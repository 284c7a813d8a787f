"""The practice page and the facilitator board in a real Chromium, against a real server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.live_server import SCREENSHOTS, LiveServer

pytestmark = pytest.mark.browser

SCENARIO = "asks-for-advice"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
MAX_REPLIES = 20


def new_cohort(server: LiveServer, name: str) -> dict[str, Any]:
    response = httpx.post(
        f"{server.url}/v1/cohorts",
        json={"name": name, "scenarios": [SCENARIO, "good-news", "work-vent"]},
        headers={"Authorization": f"Bearer {server.facilitator_key}"},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def pages(browser: Browser) -> Iterator[tuple[Page, Page]]:
    learner_context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    board_context = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    try:
        yield learner_context.new_page(), board_context.new_page()
    finally:
        learner_context.close()
        board_context.close()


def join(page: Page, server: LiveServer, code: str, name: str) -> None:
    page.goto(f"{server.url}/practice")
    page.get_by_label("Join code").fill(code)
    page.get_by_label("Your display name").fill(name)
    page.get_by_role("button", name="Join").click()


def sign_in(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/workshop")
    page.get_by_label("Facilitator key").fill(server.facilitator_key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your cohorts")).to_be_visible()


def no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide at a {PHONE['width']} px viewport"


def test_a_learner_completes_a_scenario_by_following_hints_and_the_board_shows_it(
    pages: tuple[Page, Page], live_server: LiveServer
) -> None:
    learner, board = pages
    cohort = new_cohort(live_server, "Tuesday evening group")
    sign_in(board, live_server)
    board.get_by_role("link", name="Tuesday evening group").click()
    expect(board.locator("#join-code")).to_have_text(cohort["join_code"])

    join(learner, live_server, cohort["join_code"].lower().replace("-", " "), "Ana")
    expect(learner.get_by_role("heading", name="Pick a conversation to practise")).to_be_visible()
    card = board.locator(".card", has_text="Ana")
    expect(card.locator(".state")).to_have_text("Not started", timeout=2000)
    learner.get_by_label("Share my conversations with the facilitator (off unless you tick it)").check()
    learner.locator(f'[data-scenario="{SCENARIO}"]').click()
    expect(learner.get_by_label("Conversation").locator("li.partner")).to_have_count(1)

    for reply_number in range(1, MAX_REPLIES + 1):
        learner.get_by_role("button", name="Hint").click()
        learner.get_by_role("button", name="Use this reply").click()
        expect(learner.get_by_role("textbox", name="Your reply")).not_to_have_value("")
        learner.get_by_role("button", name="Send").click()
        expect(learner.get_by_label("Conversation").locator("li.learner")).to_have_count(reply_number)
        expect(learner.locator("#tip")).to_contain_text("Tip:")
        if reply_number == 2:
            expect(card.locator(".state")).to_have_text("Practising", timeout=2000)
            learner.screenshot(path=SCREENSHOTS / "practice-phone.png", full_page=True)
        if learner.locator("#talk").get_attribute("data-status") != "active":
            break
    expect(learner.get_by_role("heading", name="How it went")).to_be_visible()
    expect(learner.locator("#outcome")).to_contain_text("felt understood")
    expect(learner.locator("#chart svg polyline")).to_have_count(5)
    learner.screenshot(path=SCREENSHOTS / "practice-report-phone.png", full_page=True)

    # The board: the completion shows within two seconds (it polls every second).
    expect(card.locator(".state")).to_have_text("Done", timeout=2000)
    expect(card).to_contain_text("1 conversation started, 1 completed")
    card.get_by_role("button", name="Read transcript").click()
    expect(board.locator("#transcript-log li").first).to_contain_text("Partner:")
    board.keyboard.press("Escape")
    board.get_by_role("link", name="Big screen").click()
    expect(board.locator("body.big")).to_have_count(1)
    expect(board.locator("#count-done")).to_have_text("1", timeout=2000)
    expect(board.locator(".card")).to_have_count(0)


def test_a_wrong_code_is_refused_with_a_clear_message(
    pages: tuple[Page, Page], live_server: LiveServer
) -> None:
    learner, _ = pages
    join(learner, live_server, "ZZZZ-ZZZZ", "Ben")
    expect(learner.get_by_role("alert")).to_have_text(
        "That join code is not right. Check it with your facilitator and try again."
    )
    expect(learner.get_by_label("Your display name")).to_have_value("Ben")


def test_a_revoked_code_is_refused(pages: tuple[Page, Page], live_server: LiveServer) -> None:
    learner, board = pages
    cohort = new_cohort(live_server, "Closing early")
    sign_in(board, live_server)
    board.get_by_role("link", name="Closing early").click()
    board.get_by_role("button", name="Close joining").click()
    expect(board.get_by_text("Joining is closed.")).to_be_visible()
    join(learner, live_server, cohort["join_code"], "Cleo")
    expect(learner.get_by_role("alert")).to_contain_text("has been closed")


def test_an_expired_pass_is_refused_with_a_clear_message(
    pages: tuple[Page, Page], live_server: LiveServer
) -> None:
    learner, _ = pages
    cohort = new_cohort(live_server, "Expiring")
    join(learner, live_server, cohort["join_code"], "Dev")
    expect(learner.get_by_role("heading", name="Pick a conversation to practise")).to_be_visible()
    live_server.expire_passes()
    learner.locator(f'[data-scenario="{SCENARIO}"]').click()
    expect(learner.locator("#problem")).to_contain_text("Your practice pass has expired")
    learner.reload()
    expect(learner.get_by_role("alert")).to_contain_text("Your practice pass has expired")
    expect(learner.get_by_label("Join code")).to_be_visible()


def test_the_page_works_at_375_pixels_with_the_keyboard(
    pages: tuple[Page, Page], live_server: LiveServer
) -> None:
    learner, _ = pages
    cohort = new_cohort(live_server, "Phones")
    learner.goto(f"{live_server.url}/practice")
    no_horizontal_scroll(learner)
    learner.screenshot(path=SCREENSHOTS / "join-phone.png", full_page=True)
    learner.keyboard.press("Tab")  # the skip link
    learner.keyboard.press("Tab")
    learner.keyboard.type(cohort["join_code"])
    learner.keyboard.press("Tab")
    learner.keyboard.type("Eli")
    learner.keyboard.press("Enter")
    expect(learner.get_by_role("heading", name="Pick a conversation to practise")).to_be_visible()
    no_horizontal_scroll(learner)
    first = learner.locator(".scenario").first
    first.focus()
    learner.keyboard.press("Enter")
    expect(learner.get_by_role("textbox", name="Your reply")).to_be_focused()
    learner.keyboard.type("It sounds like that really got to you. What happened?")
    learner.keyboard.press("Control+Enter")
    expect(learner.get_by_label("Conversation").locator("li.learner")).to_have_count(1)
    no_horizontal_scroll(learner)
    for name in ("Send", "Hint", "End and see report"):
        button = learner.get_by_role("button", name=name)
        button.scroll_into_view_if_needed()
        expect(button).to_be_in_viewport()
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    expect(learner.locator("#said")).to_have_attribute("aria-live", "polite")


def test_on_a_phone_the_answer_and_the_meter_come_first_and_a_reload_resumes(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        learner = context.new_page()
        cohort = new_cohort(live_server, "Resume on reload")
        join(learner, live_server, cohort["join_code"], "Fay")
        learner.locator(f'[data-scenario="{SCENARIO}"]').click()
        log = learner.get_by_label("Conversation")
        for reply_number, reply in enumerate(
            (
                "It sounds like Kate asked to borrow three thousand for her rent, and you feel torn.",
                "So she still hasn't paid back the two thousand from last time. Did I get that?",
            ),
            start=1,
        ):
            learner.get_by_role("textbox", name="Your reply").fill(reply)
            learner.get_by_role("button", name="Send").click()
            expect(log.locator("li.learner")).to_have_count(reply_number)
        # After Send: the partner's answer and the safety meter are what the learner sees.
        answer = log.locator("li.partner").last
        expect(answer).to_be_in_viewport()
        expect(learner.locator("#safety")).to_be_in_viewport()
        feedback = learner.locator("#feedback")
        expect(feedback).not_to_have_attribute("open", "")
        expect(learner.locator("#scores")).to_be_hidden()
        learner.screenshot(path=SCREENSHOTS / "practice-phone-after-send.png")
        learner.get_by_text("Feedback on your reply").click()  # one tap away
        expect(learner.locator("#scores")).to_be_visible()
        expect(learner.locator("#tip")).to_be_visible()
        learner.screenshot(path=SCREENSHOTS / "practice-phone-grade-open.png")
        said = log.locator("li").all_inner_texts()
        safety = learner.locator("#safety").get_attribute("value")

        learner.reload()
        expect(log.locator("li")).to_have_count(len(said))
        assert log.locator("li").all_inner_texts() == said
        assert learner.locator("#safety").get_attribute("value") == safety
        expect(learner.get_by_role("textbox", name="Your reply")).to_be_visible()
        learner.screenshot(path=SCREENSHOTS / "practice-phone-after-reload.png")
        # Picking the scenario again in a fresh tab also carries on, not over.
        learner.evaluate("sessionStorage.clear()")
        learner.goto(f"{live_server.url}/practice")
        learner.locator(f'[data-scenario="{SCENARIO}"]').click()
        expect(log.locator("li")).to_have_count(len(said))
    finally:
        context.close()

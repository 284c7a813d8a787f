"""The practice page when the safety screen pauses the role-play, in a real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.web.live_server import SCREENSHOTS, LiveServer
from tests.web.test_browser import SCENARIO, join, new_cohort, no_horizontal_scroll, pages  # noqa: F401

pytestmark = pytest.mark.browser

RISK = "sorry this is off topic but i dont want to be here anymore. i want to kill myself"


def test_a_risky_reply_pauses_the_page_with_help_first_and_resume_carries_on(
    pages: tuple[Page, Page],  # noqa: F811 (the fixture)
    live_server: LiveServer,
) -> None:
    learner, _ = pages
    cohort = new_cohort(live_server, "Late group")
    join(learner, live_server, cohort["join_code"], "Bea")
    expect(learner.get_by_role("heading", name="Pick a conversation to practise")).to_be_visible()
    learner.locator(f'[data-scenario="{SCENARIO}"]').click()
    expect(learner.get_by_label("Conversation").locator("li.partner")).to_have_count(1)

    learner.get_by_role("textbox", name="Your reply").fill(RISK)
    learner.get_by_role("button", name="Send").click()

    help_box = learner.locator("#screen")
    expect(help_box).to_be_visible()
    expect(help_box).to_be_focused()
    expect(learner.get_by_role("heading", name="Let's pause the role-play")).to_be_visible()
    expect(learner.locator("#screen-message")).to_contain_text("paused the role-play")
    resources = learner.get_by_role("list", name="Where to find help").locator("li")
    expect(resources.first).to_contain_text("Local emergency services")
    # The help comes first on the page, before the conversation; no grade, no tip, no partner answer.
    top_of_help = help_box.bounding_box()
    top_of_log = learner.locator("#log").bounding_box()
    assert top_of_help is not None and top_of_log is not None and top_of_help["y"] < top_of_log["y"]
    expect(learner.locator("#feedback")).to_be_hidden()
    expect(learner.locator("#reply-form")).to_be_hidden()
    expect(learner.get_by_label("Conversation").locator("li.partner")).to_have_count(1)
    expect(learner.locator("#talk")).to_have_attribute("data-status", "paused")
    no_horizontal_scroll(learner)
    learner.screenshot(path=SCREENSHOTS / "practice-paused-phone.png", full_page=True)

    learner.get_by_role("button", name="Carry on with the role-play").click()
    expect(help_box).to_be_hidden()
    expect(learner.locator("#talk")).to_have_attribute("data-status", "active")
    learner.get_by_role("textbox", name="Your reply").fill("It sounds like you feel torn about Kate.")
    learner.get_by_role("button", name="Send").click()
    expect(learner.locator("#tip")).to_contain_text("Tip:")
    expect(learner.get_by_label("Conversation").locator("li.partner")).to_have_count(2)

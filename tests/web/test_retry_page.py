""""Try that again" on the practice page, in a real Chromium against a real server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.live_server import LiveServer
from tests.web.test_browser import PHONE, SCENARIO, join, new_cohort

pytestmark = pytest.mark.browser

HOSTILE = "Honestly you are overreacting, just get over it."


@pytest.fixture
def learner(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    try:
        yield context.new_page()
    finally:
        context.close()


def send(page: Page, text: str, replies: int) -> None:
    page.get_by_role("textbox", name="Your reply").fill(text)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_label("Conversation").locator("li.learner")).to_have_count(replies)


def test_a_learner_tries_a_reply_again_and_the_report_compares_the_tries(
    learner: Page, live_server: LiveServer
) -> None:
    cohort = new_cohort(live_server, "Retry group")
    join(learner, live_server, cohort["join_code"], "Bo")
    learner.locator(f'[data-scenario="{SCENARIO}"]').click()
    log = learner.get_by_role("list", name="Conversation")
    expect(log.locator("li.partner")).to_have_count(1)
    safety_at_start = learner.locator("#safety").get_attribute("value")

    send(learner, HOSTILE, 1)
    expect(learner.locator("#tip")).to_contain_text("Try that reply again?")
    expect(learner.locator("#safety")).not_to_have_attribute("value", safety_at_start or "")
    learner.get_by_role("button", name="Try that again").click()

    # Back to just before the reply: the opening only, the partner as safe as before, the reply to edit.
    expect(log.locator("li.learner")).to_have_count(0)
    expect(log.locator("li.partner")).to_have_count(1)
    expect(learner.locator("#safety")).to_have_attribute("value", safety_at_start or "")
    expect(learner.get_by_role("textbox", name="Your reply")).to_have_value(HOSTILE)
    expect(learner.locator("#feedback")).to_be_hidden()
    # A reload right after the rewind shows the conversation as it now stands, nothing to retry.
    learner.reload()
    expect(log.locator("li")).to_have_count(1)
    expect(learner.locator("#safety")).to_have_attribute("value", safety_at_start or "")
    expect(learner.get_by_role("button", name="Try that again")).to_be_hidden()
    expect(learner.locator("#feedback")).to_be_hidden()

    learner.get_by_role("button", name="Hint").click()
    learner.get_by_role("button", name="Use this reply").click()
    learner.get_by_role("button", name="Send").click()
    expect(log.locator("li.learner")).to_have_count(1)
    expect(log).not_to_contain_text(HOSTILE)
    expect(learner.get_by_role("button", name="Try that again")).to_be_visible()
    # A reload resumes the live conversation (the earlier attempt is not in it), with the last
    # reply's feedback and "Try that again" as before.
    said = log.locator("li").all_inner_texts()
    learner.reload()
    expect(log.locator("li")).to_have_count(len(said))
    assert log.locator("li").all_inner_texts() == said
    expect(log).not_to_contain_text(HOSTILE)
    expect(learner.locator("#tip")).to_contain_text("Tip:")
    expect(learner.get_by_role("button", name="Try that again")).to_be_visible()

    learner.get_by_role("button", name="End and see report").click()
    expect(learner.get_by_role("heading", name="How it went")).to_be_visible()
    expect(learner.locator("#outcome")).to_contain_text("Replies: 2")  # both tries count
    expect(learner.get_by_role("list", name="Your retries")).to_contain_text(
        "Reply 1, tried again: The retry did better"
    )
    expect(learner.get_by_role("button", name="Try your last reply again")).to_be_hidden()

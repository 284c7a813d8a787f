"""The room in a real Chromium: the big screen shows the room and no names until the facilitator
chooses; learners who share a name are told apart; the QR code scans to the join address; the
front door. Screenshots at projector (1920x1080) and phone (390x844) sizes go to var/screenshots
(docs/screenshots with TRAINER_UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import zxingcpp
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.web.a11y import assert_accessible
from tests.web.forms import TEST_FORM_TOKEN
from tests.web.live_server import SCREENSHOTS, LiveServer
from tests.web.test_browser import join, new_cohort, sign_in
from trainer.web.csrf import FORM_COOKIE, FORM_FIELD

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
XGA = {"width": 1024, "height": 768}  # many a classroom projector
SCENARIO = "asks-for-advice"
QR_PIXELS = 420
QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)

# Draws the QR code's <svg> on a canvas and hands back its pixels as grey levels.
QR_PIXELS_JS = (Path(__file__).parent / "qr_pixels.js").read_text(encoding="utf-8")


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    try:
        yield opened
    finally:
        for context in opened:
            context.close()


def open_page(browser: Browser, contexts: list[BrowserContext], viewport: dict[str, int]) -> Page:
    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    contexts.append(context)
    return context.new_page()


class HttpLearner:
    """A learner on the practice page's JSON API, without a browser (to fill a room quickly)."""

    def __init__(self, server: LiveServer, code: str, name: str) -> None:
        self.client = httpx.Client(base_url=server.url, follow_redirects=True)
        self.client.cookies.set(FORM_COOKIE, TEST_FORM_TOKEN)  # what the join page would have set
        form = {"code": code, "display_name": name, FORM_FIELD: TEST_FORM_TOKEN}
        joined = self.client.post("/practice/join", data=form)
        assert joined.status_code == 200 and "Pick a conversation" in joined.text, joined.text
        self.session: dict[str, Any] = {}

    def start(self) -> None:
        started = self.client.post("/practice/api/sessions", json={"scenario_id": SCENARIO})
        assert started.status_code == 201, started.text
        self.session = started.json()

    def reply(self, text: str) -> None:
        turn = self.client.post(f"/practice/api/sessions/{self.session['id']}/turns", json={"reply": text})
        assert turn.status_code == 201, turn.text

    def end(self) -> None:
        ended = self.client.post(f"/practice/api/sessions/{self.session['id']}/end")
        assert ended.status_code == 200 and ended.json()["ended"] is True, ended.text

    def share(self) -> None:
        shared = self.client.post("/practice/api/share", json={"share": True})
        assert shared.status_code == 200 and shared.json()["share"] is True, shared.text


def qr_text(page: Page) -> list[str]:
    svg = page.locator("#join-qr svg")
    expect(svg).to_be_visible()
    grey = page.evaluate(QR_PIXELS_JS, [svg.element_handle(), QR_PIXELS])
    image = memoryview(bytes(grey)).cast("B", (QR_PIXELS, QR_PIXELS))
    return [barcode.text for barcode in zxingcpp.read_barcodes(image, formats=QR_ONLY)]


def board_url(server: LiveServer, cohort: dict[str, Any], query: str = "") -> str:
    return f"{server.url}/workshop/cohorts/{cohort['id']}{query}"


def test_the_big_screen_shows_the_room_and_no_names_until_the_facilitator_chooses(
    browser: Browser, contexts: list[BrowserContext], live_server: LiveServer
) -> None:
    cohort = new_cohort(live_server, "Thursday at the library")
    ana = HttpLearner(live_server, cohort["join_code"], "Ana Lima")
    ana.start()
    ana.reply("That sounds really stressful. What happened?")
    ben = HttpLearner(live_server, cohort["join_code"], "Ben Okafor")
    ben.start()
    ben.end()
    HttpLearner(live_server, cohort["join_code"], "Cleo Marsh")

    screen = open_page(browser, contexts, PROJECTOR)
    sign_in(screen, live_server)
    screen.goto(board_url(live_server, cohort))
    screen.get_by_role("link", name="Big screen").click()
    expect(screen.locator("#count-practising")).to_have_text("1", timeout=3000)
    expect(screen.locator("#count-done")).to_have_text("1")
    expect(screen.locator("#count-need_a_hand")).to_have_text("0")
    expect(screen.locator("#count-waiting")).to_have_text("1")
    expect(screen.locator("#board-status")).to_contain_text("3 learners joined")
    chart = screen.locator("#room-chart svg")
    expect(chart).to_have_attribute("aria-label", "The room's average per skill, 0 to 3")
    # One learner has replies: the room's average would be Ana's own scores, so none is shown yet.
    expect(chart.locator("text.value")).to_have_text(["–"] * 5)
    expect(chart.locator("text.note").first).to_have_text("shown once 3 learners have replied")
    for name in ("Dev Patel", "Eli Brandt"):  # with three, the room's averages show
        learner = HttpLearner(live_server, cohort["join_code"], name)
        learner.start()
        learner.reply("It sounds like that really got to you. What was the hardest part?")
    expect(screen.locator("#count-practising")).to_have_text("3", timeout=3000)
    expect(chart.locator("text.note").first).to_contain_text("3 learners · ")
    # No learner's name or state anywhere on the projected page, and no cards.
    body = screen.locator("body").inner_text()
    for name in ("Ana", "Ben", "Cleo", "Dev", "Eli", "Ended", "Stuck"):
        assert name not in body, f"{name!r} is on the big screen"
    expect(screen.locator(".card")).to_have_count(0)
    # The code typed large, and the QR code of the join address, both within the projector's screen.
    code = screen.locator("#join-code")
    expect(code).to_have_text(cohort["join_code"])
    assert float(code.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 60
    for locator in (code, screen.locator("#join-qr svg"), screen.locator("#room-chart svg")):
        expect(locator).to_be_in_viewport()
    qr_box = screen.locator("#join-qr svg").bounding_box()
    assert qr_box is not None and qr_box["width"] >= 300, qr_box
    assert qr_text(screen) == [f"{live_server.url}/practice?code={cohort['join_code'].replace('-', '')}"]
    assert_accessible(screen)
    screen.screenshot(path=SCREENSHOTS / "board-big.png")

    # The switch is the facilitator's choice, one click, and says what the room sees.
    expect(screen.locator(".names-switch")).to_contain_text("Names are hidden on this screen")
    screen.get_by_role("link", name="Show names and states").click()
    ben_card = screen.locator(".card", has_text="Ben Okafor")
    expect(ben_card.locator(".state")).to_have_text("Ended", timeout=3000)
    # Names and states, as the switch says: nobody's scores or safety meter go up on the wall.
    expect(screen.locator(".card meter")).to_have_count(0)
    expect(screen.locator(".card .skills")).to_have_count(0)
    expect(screen.locator(".names-switch")).to_contain_text("Names and states are showing")
    screen.screenshot(path=SCREENSHOTS / "board-big-names.png")
    screen.get_by_role("link", name="Hide names").click()
    expect(screen.locator("#count-done")).to_have_text("1", timeout=3000)
    expect(screen.locator(".card")).to_have_count(0)


def test_the_facilitators_board_uses_the_screen_and_tells_learners_apart(
    browser: Browser, contexts: list[BrowserContext], live_server: LiveServer
) -> None:
    cohort = new_cohort(live_server, "Two Noors")
    board = open_page(browser, contexts, PROJECTOR)
    sign_in(board, live_server)
    board.goto(board_url(live_server, cohort))

    first, second = open_page(browser, contexts, PHONE), open_page(browser, contexts, PHONE)
    join(first, live_server, cohort["join_code"], "Noor")
    expect(first.get_by_role("heading", name="Pick a conversation to practise")).to_be_visible()
    expect(first.locator("#renamed")).to_have_count(0)
    join(second, live_server, cohort["join_code"], "noor ")
    expect(second.locator("#renamed")).to_have_text(
        "Someone else here is also called noor, so you show as noor (2) to your facilitator."
    )
    expect(second.locator(".who")).to_contain_text("noor (2)")
    expect(board.locator(".card .name")).to_have_text(["Noor", "noor (2)"], timeout=3000)
    assert_accessible(second)
    second.screenshot(path=SCREENSHOTS / "join-renamed-phone.png", full_page=True)

    # Plurals, and a learner who presses "End" is "Ended", not "Stuck".
    second.locator(f'[data-scenario="{SCENARIO}"]').click()
    second.get_by_role("textbox", name="Your reply").fill("It sounds like that really got to you.")
    second.get_by_role("button", name="Send").click()
    expect(second.get_by_label("Conversation").locator("li.learner")).to_have_count(1)
    card = board.locator(".card", has_text="noor (2)")
    expect(card.locator(".facts")).to_have_text(
        "1 reply in this conversation · 1 conversation started, 0 completed", timeout=3000
    )
    expect(board.locator(".card", has_text="Noor").first.locator(".facts")).to_have_text(
        "No conversation started yet"
    )
    second.get_by_role("button", name="End and see report").click()
    expect(second.get_by_role("heading", name="How it went")).to_be_visible()
    expect(card.locator(".state")).to_have_text("Ended", timeout=3000)
    expect(board.locator("#count-done")).to_have_text("1")

    # The board fills a desktop screen: the panels side by side, the cards across the width.
    width = board.evaluate("document.querySelector('main').getBoundingClientRect().width")
    assert width >= 0.85 * PROJECTOR["width"], f"the board is {width} px wide on a 1920 px screen"
    join_box = board.locator(".join-banner").bounding_box()
    room_box = board.locator(".room-panel").bounding_box()
    assert join_box and room_box and room_box["x"] > join_box["x"] + join_box["width"] - 1
    assert qr_text(board) == [f"{live_server.url}/practice?code={cohort['join_code'].replace('-', '')}"]
    assert_accessible(board)
    board.screenshot(path=SCREENSHOTS / "board.png", full_page=True)

    # The export: a download of the same progress, one row per learner and skill.
    with board.expect_download() as download_info:
        board.get_by_role("link", name="Download progress (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == f"cohort-{cohort['id']}-progress.csv"
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("cohort,learner,learner_id,state")
    assert len(lines) == 1 + 2 * 5 and sum("noor (2)" in line and ",ended," in line for line in lines) == 5


def test_the_big_screen_fits_a_small_projector_and_never_offers_a_shared_transcript(
    browser: Browser, contexts: list[BrowserContext], live_server: LiveServer
) -> None:
    cohort = new_cohort(live_server, "Tuesday evening group")
    farah = HttpLearner(live_server, cohort["join_code"], "Farah")
    farah.share()  # with the facilitator, not with the room
    farah.start()
    farah.reply("That sounds really stressful. What happened?")

    board = open_page(browser, contexts, PROJECTOR)
    sign_in(board, live_server)
    board.goto(board_url(live_server, cohort))
    farah_card = board.locator(".card", has_text="Farah")
    expect(farah_card.get_by_role("button", name="Read transcript")).to_be_visible(timeout=3000)

    screen = open_page(browser, contexts, XGA)
    sign_in(screen, live_server)
    screen.goto(board_url(live_server, cohort, "?big=1&names=1"))
    projected = screen.locator(".card", has_text="Farah")
    expect(projected.locator(".state")).to_have_text("Practising", timeout=3000)
    expect(screen.get_by_role("button", name="Read transcript")).to_have_count(0)
    # At 1024x768 the code stays on one line, and the code, the QR code and the room's chart are all
    # on the screen without scrolling either way.
    code = screen.locator("#join-code")
    assert code.evaluate("el => el.getClientRects().length") == 1, "the join code breaks over two lines"
    for locator in (code, screen.locator("#join-qr svg"), screen.locator("#room-chart svg")):
        expect(locator).to_be_in_viewport(ratio=1)
    assert screen.evaluate("document.documentElement.scrollWidth") <= XGA["width"]
    assert qr_text(screen) == [f"{live_server.url}/practice?code={cohort['join_code'].replace('-', '')}"]
    screen.screenshot(path=SCREENSHOTS / "board-big-xga.png")

    phone = open_page(browser, contexts, PHONE)  # a facilitator checking the big screen on a phone
    sign_in(phone, live_server)
    for name in ("Gus", "Hana"):  # three learners with replies: the room's averages show
        learner = HttpLearner(live_server, cohort["join_code"], name)
        learner.start()
        learner.reply("It sounds like that really got to you.")
    phone.goto(board_url(live_server, cohort, "?big=1"))
    expect(phone.locator("#count-practising")).to_have_text("3", timeout=3000)
    expect(phone.locator("#room-chart svg text.note").first).to_contain_text("3 learners · ")
    assert phone.locator("#join-code").evaluate("el => el.getClientRects().length") == 1
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the big screen is {width} px wide at a {PHONE['width']} px viewport"


def test_scanning_the_qr_code_opens_the_join_page_with_the_code_filled_in(
    browser: Browser, contexts: list[BrowserContext], live_server: LiveServer
) -> None:
    cohort = new_cohort(live_server, "Scan to join")
    board = open_page(browser, contexts, PHONE)
    sign_in(board, live_server)
    board.goto(board_url(live_server, cohort))
    [address] = qr_text(board)
    assert address.startswith(f"{live_server.url}/practice?code=")
    board.screenshot(path=SCREENSHOTS / "board-phone.png", full_page=True)
    width = board.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the board is {width} px wide at a {PHONE['width']} px viewport"

    phone = open_page(browser, contexts, PHONE)
    phone.goto(address)
    expect(phone.get_by_label("Join code")).to_have_value(cohort["join_code"])
    expect(phone.get_by_label("Your display name")).to_be_focused()
    expect(phone.locator("main")).to_contain_text("Your workshop's code is filled in.")
    assert_accessible(phone)
    phone.screenshot(path=SCREENSHOTS / "join-by-qr-phone.png", full_page=True)
    phone.get_by_label("Your display name").fill("Dana")
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_role("heading", name="Pick a conversation to practise")).to_be_visible()
    expect(board.locator(".card .name")).to_have_text(["Dana"], timeout=3000)


def test_the_front_door_leads_to_practice_the_workshop_and_the_api_docs(
    browser: Browser, contexts: list[BrowserContext], live_server: LiveServer
) -> None:
    for viewport, name in ((PHONE, "front-phone.png"), (PROJECTOR, "front.png")):
        page = open_page(browser, contexts, viewport)
        response = page.goto(f"{live_server.url}/")
        assert response is not None and response.status == 200
        expect(page.get_by_role("heading", name="Practise listening")).to_be_visible()
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=SCREENSHOTS / name, full_page=True)
    page.get_by_role("link", name="Join a workshop").click()
    expect(page.get_by_label("Join code")).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="Run a workshop").click()
    expect(page.get_by_label("Facilitator key")).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="API documentation").click()
    expect(page).to_have_url(f"{live_server.url}/schema")

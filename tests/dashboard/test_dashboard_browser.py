"""The dashboard page in real headless Chromium against a real `clickstream serve`."""

import os
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page

from ingest_service.contract import Click
from ingest_service.settings import ServeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from ingest_service.synthetic import synthetic_clicks
from tests.dashboard.conftest import FUNNELS_FILE
from tests.dashboard.lake import store_and_summarize
from tests.dashboard.seed import click
from tests.servers import REPO, serving

pytestmark = pytest.mark.browser

TOKEN = "browser-read-token-0001"
SEEDED_DAYS = 60
# Days and minutes of different sizes, so that every range has its own figures.
CLICKS_ON_DAY = [120 + n + (n * 37) % 61 for n in range(SEEDED_DAYS)]


def _day_clicks(n: int, day: date) -> list[Click]:
    return list(synthetic_clicks(day, 1, CLICKS_ON_DAY[n], seed=n))


# The figures count people: the generator's bots are stored and left out.
# It makes page views too, which the click figures leave out.
HUMANS_ON_DAY = [
    sum(not c.is_bot and c.event_type == "click" for c in _day_clicks(n, date(2026, 1, 1)))
    for n in range(SEEDED_DAYS)
]
HUMAN_BUTTONS = {
    c.button
    for n in range(SEEDED_DAYS - 30, SEEDED_DAYS)
    for c in _day_clicks(n, date(2026, 1, 1))
    if not c.is_bot and c.event_type == "click"
}
CLICKS_MINUTES_AGO = [1 + (m * 7) % 5 for m in range(40)]
LAST_30_DAYS = sum(HUMANS_ON_DAY[-30:])
THE_30_BEFORE = sum(HUMANS_ON_DAY[:30])
LAST_7_DAYS = sum(HUMANS_ON_DAY[-7:])
LIVE_CLICKS = sum(CLICKS_MINUTES_AGO)
# The README's picture is refreshed on request only, so that a test run leaves the tree as
# it found it: UPDATE_README_SCREENSHOT=1 make test.
README_SCREENSHOT = REPO / "docs" / "dashboard.png"
# Sets down every Content-Security-Policy violation; Playwright injects it outside the CSP.
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) =>
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI));
"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """60 days up to yesterday in the lake, and clicks of the last hour in the store."""
    directory = tmp_path_factory.mktemp("served")
    settings = ServeSettings(data_dir=directory / "data", funnels_file=FUNNELS_FILE)
    today = datetime.now(UTC).date()
    first = today - timedelta(days=SEEDED_DAYS)
    store = SQLiteClickStore(settings.store_path)
    store.setup()
    try:
        days = [first + timedelta(days=n) for n in range(SEEDED_DAYS)]
        clicks = [c for n, day in enumerate(days) for c in _day_clicks(n, day)]
        store_and_summarize(settings, store, clicks, days)
        now = datetime.now(UTC)
        store.write(
            [
                click(now - timedelta(minutes=minutes_ago), "Sign up", "/")
                for minutes_ago, count in enumerate(CLICKS_MINUTES_AGO)
                for _ in range(count)
            ]
        )
    finally:
        store.close()
    with serving(
        settings.data_dir,
        log_path=directory / "serve.log",
        settings={"CLICKSTREAM_READ_TOKEN": TOKEN, "CLICKSTREAM_TRUSTED_PROXIES": "1"},
    ) as server:
        yield server.base_url


def _context(browser: Browser, base_url: str, **options: object) -> BrowserContext:
    # A reader with the token, unless the test says who it is: behind a proxy, being on
    # the server's machine is no credential.
    options.setdefault("extra_http_headers", {"Authorization": f"Bearer {TOKEN}"})
    context = browser.new_context(base_url=base_url, **options)  # type: ignore[arg-type]
    context.add_init_script(WATCH_CSP)
    return context


def _watch_console(page: Page) -> list[str]:
    errors: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", keep)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _drawn_canvases(page: Page) -> int:
    """How many canvases have at least one painted pixel."""
    count: int = page.evaluate(
        """() => [...document.querySelectorAll("canvas")].filter((canvas) => {
             if (!canvas.width || !canvas.height) return false;
             const { width, height } = canvas;
             const pixels = canvas.getContext("2d").getImageData(0, 0, width, height).data;
             for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) return true;
             return false;
           }).length"""
    )
    return count


def _wait_for_figures(page: Page) -> None:
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-state]")]
                  .every((panel) => panel.dataset.state !== "loading")"""
    )


def test_the_dashboard_draws_every_chart_and_follows_the_date_range(
    browser: Browser, base_url: str, tmp_path: Path
) -> None:
    context = _context(browser, base_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = _watch_console(page)

    page.goto("/dashboard")
    _wait_for_figures(page)

    # The default range: the last 30 complete days.
    assert page.locator("#daily-total").inner_text() == f"{LAST_30_DAYS:,}"
    assert page.locator("#daily-previous").inner_text() == f"{THE_30_BEFORE:,}"
    assert page.locator("#live-60").inner_text() == str(LIVE_CLICKS)
    assert "reach the lake and the panels below after the day closes, at 00:30 UTC" in (
        page.locator("#live-lake").inner_text()
    )
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    assert page.locator("#data-up-to").inner_text() == f"Data up to {yesterday:%-d %B %Y}."
    # This browser sends its token in a header and never signed in: nothing to sign out of.
    assert page.get_by_role("button", name="Sign out").is_hidden()
    states = page.eval_on_selector_all(
        "[data-state]", "(panels) => panels.map((p) => p.dataset.state)"
    )
    assert set(states) == {"ready"}
    # Live, daily, hourly, three device doughnuts, countries.
    assert _drawn_canvases(page) == 7
    assert page.locator("#buttons tbody tr").count() == min(10, len(HUMAN_BUTTONS))
    page.wait_for_timeout(500)  # let the charts' entry animation finish for the picture
    update = os.environ.get("UPDATE_README_SCREENSHOT") == "1"
    screenshot = README_SCREENSHOT if update else tmp_path / "dashboard.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 50_000  # a rendered page, not a blank one

    page.get_by_role("button", name="7 days").click()
    page.wait_for_function(
        f"() => document.querySelector('#daily-total').textContent === '{LAST_7_DAYS:,}'"
    )
    assert "start=" in page.url
    assert page.locator("#daily canvas").count() == 1

    assert errors == []
    assert page.evaluate("window.cspViolations") == []
    context.close()


def test_a_range_with_no_summaries_says_so(browser: Browser, base_url: str) -> None:
    context = _context(browser, base_url)
    page = context.new_page()

    page.goto("/dashboard?start=2020-01-01&end=2020-01-31")
    _wait_for_figures(page)

    assert page.locator("#daily").get_attribute("data-state") == "empty"
    assert "None of the days from 1 January 2020 to 31 January 2020 has been summarized yet" in (
        page.locator("#daily .status").inner_text()
    )
    context.close()


def test_days_not_summarized_are_named_and_left_out_of_the_change(
    browser: Browser, base_url: str
) -> None:
    """A week whose week before starts 4 days before the first summarized day."""
    first = datetime.now(UTC).date() - timedelta(days=SEEDED_DAYS)
    start, end = first + timedelta(days=3), first + timedelta(days=9)
    context = _context(browser, base_url)
    page = context.new_page()

    page.goto(f"/dashboard?start={start}&end={end}")
    _wait_for_figures(page)

    assert page.locator("#daily-total").inner_text() == f"{sum(HUMANS_ON_DAY[3:10]):,}"
    assert page.locator("#daily-previous").inner_text() == f"{sum(HUMANS_ON_DAY[:3]):,}"
    # Days 7-9 against days 0-2, the only ones summarized in both weeks.
    compared, before = sum(HUMANS_ON_DAY[7:10]), sum(HUMANS_ON_DAY[:3])
    percent = f"{(compared / before - 1) * 100:.1f}".removesuffix(".0")
    assert page.locator("#daily-change").inner_text() == f"▲ +{percent}%"
    assert page.locator("#daily-change-over").inner_text() == "over 3 of 7 days"
    # One run of days, as "27 Sept to 30 Sept" joined by an en dash (the browser's month names).
    missing = re.compile(
        f"Not summarized in the period before: {(first - timedelta(days=4)).day} \\w+"
        f"\u2013{(first - timedelta(days=1)).day} \\w+\\."
    )
    for panel in ("daily", "hourly", "buttons", "countries"):
        note = page.locator(f"#{panel} .coverage").inner_text()
        assert missing.match(note), (panel, note)
        assert "Comparison incomplete: 3 of 7 days" in note, panel
    context.close()


def test_on_a_phone_nothing_overflows_sideways(browser: Browser, base_url: str) -> None:
    context = _context(browser, base_url, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()

    page.goto("/dashboard")
    _wait_for_figures(page)

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_a_reader_from_elsewhere_signs_in_once_with_the_token(
    browser: Browser, base_url: str
) -> None:
    # The trusted proxy names a public client: the browser is not on the server's machine.
    context = _context(browser, base_url, extra_http_headers={"X-Forwarded-For": "203.0.113.7"})
    page = context.new_page()
    errors = _watch_console(page)

    page.goto("/dashboard")
    page.get_by_label("Read token").fill("not-the-right-token")
    page.get_by_role("button", name="Open the dashboard").click()
    assert page.get_by_role("alert").inner_text().startswith("That token was not accepted")

    page.get_by_label("Read token").fill(TOKEN)
    page.get_by_role("button", name="Open the dashboard").click()
    _wait_for_figures(page)

    assert page.locator("#daily-total").inner_text() == f"{LAST_30_DAYS:,}"
    (cookie,) = context.cookies()
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["secure"]) == (True, "Strict", False)
    # Asked once: a new page of the same browser goes straight to the figures.
    again = context.new_page()
    again.goto("/dashboard")
    _wait_for_figures(again)
    assert again.locator("#daily-total").is_visible()
    sign_out = again.get_by_role("button", name="Sign out")
    sign_out.wait_for()
    sign_out.click()
    assert again.get_by_label("Read token").is_visible()
    # The only errors are the sign-in page's own 401 answers.
    assert all("401" in error for error in errors), errors
    assert page.evaluate("window.cspViolations") == []
    context.close()

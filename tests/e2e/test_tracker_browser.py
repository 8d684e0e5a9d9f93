"""The tracker in real headless Chromium against the real ingest service."""

import time
from collections import Counter
from typing import Any, Literal

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    Route,
)

from tests.e2e.ingest_process import IngestService
from tests.ingest.clicks import tracker_click

pytestmark = pytest.mark.browser

DELIVERY_TIMEOUT_S = 30.0
SHOP_URL = "/shop.html"


def _wait_for_clicks(
    service: IngestService, count: int, page: Page | None = None
) -> list[dict[str, Any]]:
    """The stored clicks once there are `count` of them.

    With a page, waits through Playwright so the page's route handlers keep running.
    """
    deadline = time.monotonic() + DELIVERY_TIMEOUT_S
    while len(stored := service.stored_clicks()) < count:
        if time.monotonic() > deadline:
            pytest.fail(f"{len(stored)} of {count} clicks stored in {DELIVERY_TIMEOUT_S} s")
        if page is None:
            time.sleep(0.1)
        else:
            page.wait_for_timeout(100)
    return stored


def _click(
    page: Page,
    role: Literal["link", "button"],
    name: str,
    expected: list[tuple[str, str]],
    recorded_as: str,
) -> None:
    """Clicks, noting the name and page URL the click should be stored with."""
    expected.append((recorded_as, page.url))
    page.get_by_role(role, name=name, exact=True).click()


def test_every_click_is_stored_once_through_an_offline_spell(
    browser_context: BrowserContext, ingest_service: IngestService
) -> None:
    page = browser_context.new_page()
    page.goto("/")
    # The tracker asks for the position once at start; wait until the browser answered.
    page.evaluate("() => new Promise((found) => navigator.geolocation.getCurrentPosition(found))")
    user_agent = page.evaluate("navigator.userAgent")
    expected: list[tuple[str, str]] = []

    _click(page, "link", "Choose Pro", expected, "Choose plan: Pro")
    _click(page, "button", "▶ Watch the 2-minute demo", expected, "Watch demo video")
    _click(page, "link", "Pricing", expected, "Pricing")

    browser_context.set_offline(True)
    _click(page, "link", "Choose Team", expected, "Choose plan: Team")
    _click(page, "link", "Features", expected, "Features")
    page.get_by_label("Work email").fill("ada@example.com")
    _click(page, "button", "Create account", expected, "Create account")
    expected.append(("Signed up: Pro", page.url))
    queued = page.evaluate("JSON.parse(localStorage.getItem('clickstream.queue')).length")
    assert queued >= 4, "the clicks made offline wait in localStorage"

    browser_context.set_offline(False)
    _wait_for_clicks(ingest_service, len(expected), page)
    # A click just before the tab closes leaves with sendBeacon on pagehide.
    _click(page, "link", "Sign up", expected, "Sign up")
    page.close(run_before_unload=True)

    stored = _wait_for_clicks(ingest_service, len(expected))
    assert Counter((row["button"], row["page_url"]) for row in stored) == Counter(expected)
    assert len({row["id"] for row in stored}) == len(expected)
    assert len({row["session_id"] for row in stored}) == 1
    assert len({row["anonymous_id"] for row in stored}) == 1
    for row in stored:
        assert row["user_agent"] == user_agent
        assert row["language"] == "de-DE"
        assert row["time_zone"] == "Europe/Berlin"
        assert (row["viewport_width"], row["viewport_height"]) == (1280, 720)
        assert row["screen_width"] > 0
        assert "Chrome" in row["browser"]
        # The service keeps two decimals of a position by default.
        assert (row["latitude"], row["longitude"]) == (52.52, 13.4)


def test_a_429_makes_the_tracker_wait_for_retry_after(
    browser_context: BrowserContext, ingest_service: IngestService
) -> None:
    page = browser_context.new_page()
    # A plain page with the script-tag build, sending each click on its own.
    shop_page = (
        f'<!doctype html><title>Shop</title><script src="/tracker.js"'
        f' data-endpoint="{ingest_service.base_url}" data-batch-size="1"></script>'
        "<button>Add to cart</button>"
    )
    page.route(
        "**/shop.html", lambda route: route.fulfill(body=shop_page, content_type="text/html")
    )
    attempts: list[float] = []

    def rate_limit_once(route: Route) -> None:
        attempts.append(time.monotonic())
        if len(attempts) == 1:
            route.fulfill(status=429, headers={"Retry-After": "2"}, body="")
        else:
            route.continue_()

    page.route("**/clicks/batch", rate_limit_once)
    page.goto(SHOP_URL)
    page.get_by_role("button", name="Add to cart").click()

    stored = _wait_for_clicks(ingest_service, 1, page)
    assert [row["button"] for row in stored] == ["Add to cart"]
    # The load's page view goes first and is refused; after Retry-After it, then the click.
    assert len(attempts) == 3
    assert attempts[1] - attempts[0] >= 2.0


def _serve_shop_page(page: Page, service: IngestService) -> None:
    """A plain page on the service's origin with the script-tag build, sending every click."""
    html = (
        f'<!doctype html><title>Shop</title><script src="/tracker.js"'
        f' data-endpoint="{service.base_url}" data-batch-size="1"></script>'
        "<button>Add to cart</button>"
    )
    page.route(f"**{SHOP_URL}", lambda route: route.fulfill(body=html, content_type="text/html"))


def test_the_demo_page_logs_no_errors(
    browser_context: BrowserContext, ingest_service: IngestService
) -> None:
    page = browser_context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: _note_problem(message, problems))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto("/")
    # Neither click of the privacy switch is stored: the first is forgotten by the opt-out it
    # causes, the second happens while opted out.
    page.get_by_role("button", name="Stop recording my clicks").click()
    page.get_by_role("button", name="Allow click recording").click()
    page.get_by_role("link", name="Choose Starter").click()
    page.get_by_role("button", name="Create account").click()
    page.close(run_before_unload=True)

    stored = _wait_for_clicks(ingest_service, 2)
    assert sorted(row["button"] for row in stored) == ["Choose plan: Starter", "Create account"]
    assert problems == []


def _note_problem(message: ConsoleMessage, problems: list[str]) -> None:
    if message.type in ("error", "warning"):
        problems.append(f"{message.type}: {message.text}")


def test_the_tracker_waits_out_the_services_rate_limit(
    browser: Browser, rate_limited_service: IngestService
) -> None:
    context = browser.new_context(base_url=rate_limited_service.base_url)
    requests: list[float] = []
    responses: list[Response] = []

    def note_request(request: Request) -> None:
        if _is_batch(request.url):
            requests.append(time.monotonic())

    def note_response(response: Response) -> None:
        if _is_batch(response.url):
            responses.append(response)

    try:
        page = context.new_page()
        _serve_shop_page(page, rate_limited_service)
        page.on("request", note_request)
        page.on("response", note_response)
        page.goto(SHOP_URL)
        # The page's view takes one of the 20, another page of this client the other 19:
        # the next click is refused unless 3 s pass first.
        while not rate_limited_service.stored_events():
            page.wait_for_timeout(50)
        burst = {"clicks": [tracker_click() for _ in range(19)]}
        response = httpx.post(f"{rate_limited_service.base_url}/clicks/batch", json=burst)
        assert response.status_code == 202
        sent_before = len(requests)
        page.get_by_role("button", name="Add to cart").click()
        stored = _wait_for_clicks(rate_limited_service, 20, page)
    finally:
        context.close()

    assert [row["button"] for row in stored].count("Add to cart") == 1
    refused = responses[sent_before]
    assert (refused.status, responses[-1].status) == (429, 202)
    retry_after = int(refused.headers["retry-after"])
    assert requests[sent_before + 1] - requests[sent_before] >= retry_after


def _is_batch(url: str) -> bool:
    return url.endswith("/clicks/batch")

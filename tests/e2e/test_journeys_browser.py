"""Page views and the session's source, from the tracker in Chromium to the store."""

import json
import time
from collections import Counter
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Route

from tests.e2e.ingest_process import IngestService

pytestmark = pytest.mark.browser

DELIVERY_TIMEOUT_S = 30.0
# A single-page app in one file: its links navigate with history.pushState, no reload.
SPA = """<!doctype html><title>SPA</title>
<script src="/tracker.js" data-endpoint="{endpoint}" data-batch-size="1"></script>
<a href="/spa/pricing" data-track-plan="pro">Pricing</a> <a href="/spa/signup">Sign up</a>
<script>
document.addEventListener("click", (event) => {{
  const link = event.target.closest("a");
  if (!link) return;
  event.preventDefault();
  history.pushState(null, "", link.getAttribute("href"));
}});
</script>"""


def _events(service: IngestService, page: Page, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + DELIVERY_TIMEOUT_S
    while len(stored := service.stored_events()) < count:
        if time.monotonic() > deadline:
            pytest.fail(f"{len(stored)} of {count} events stored in {DELIVERY_TIMEOUT_S} s")
        page.wait_for_timeout(100)
    # Anything sent twice would arrive with the rest: give it the time to.
    page.wait_for_timeout(1000)
    return service.stored_events()


def _path(row: dict[str, Any]) -> str:
    return str(row["page_url"]).split("://", 1)[1].split("/", 1)[1].split("?")[0]


def test_one_page_view_per_view_and_the_campaign_kept_for_the_session(
    browser_context: BrowserContext, ingest_service: IngestService
) -> None:
    page = browser_context.new_page()
    html = SPA.format(endpoint=ingest_service.base_url)

    def serve(route: Route) -> None:
        route.fulfill(body=html, content_type="text/html")

    page.route("**/spa/**", serve)
    page.goto(
        "/spa/home?utm_source=newsletter&utm_medium=email&utm_campaign=winter",
        referer="https://news.example/story/42",
    )
    page.get_by_role("link", name="Pricing").click()
    # The same view again: its state replaced, a hash added, its query changed.
    page.evaluate("history.replaceState({ scrolled: true }, '', location.href)")
    page.evaluate("history.pushState(null, '', '/spa/pricing?billing=yearly#faq')")
    page.get_by_role("link", name="Sign up").click()
    page.go_back()  # popstate: back on the pricing page, a view of its own
    page.wait_for_function("location.pathname == '/spa/pricing'")

    stored = _events(ingest_service, page, 6)
    views = [row for row in stored if row["event_type"] == "pageview"]
    clicks = [row for row in stored if row["event_type"] == "click"]
    assert Counter(_path(row) for row in views) == Counter(
        {"spa/home": 1, "spa/pricing": 2, "spa/signup": 1}
    )
    assert sorted(row["button"] for row in clicks) == ["Pricing", "Sign up"]
    assert len({row["id"] for row in stored}) == len(stored) == 6
    assert len({row["session_id"] for row in stored}) == 1
    for row in stored:
        assert row["referrer_host"] == "news.example"
        assert (row["utm_source"], row["utm_medium"], row["utm_campaign"]) == (
            "newsletter",
            "email",
            "winter",
        )
    (pricing,) = [row for row in clicks if row["button"] == "Pricing"]
    assert json.loads(pricing["properties"]) == {"plan": "pro"}


def test_the_demo_site_goes_home_pricing_signup_checkout_without_reloads(
    browser_context: BrowserContext, ingest_service: IngestService
) -> None:
    page = browser_context.new_page()
    page.goto("/")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("navigation").get_by_role("link", name="Pricing").click()
    page.get_by_role("link", name="Choose Pro").click()
    page.wait_for_url("**/signup?plan=Pro")
    page.get_by_label("Work email").fill("ada@example.com")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/checkout?plan=Pro")
    page.get_by_role("button", name="Place order").click()
    page.get_by_text("Order placed").wait_for()
    assert page.evaluate("window.notReloaded") is True

    stored = _events(ingest_service, page, 8)
    views = [_path(row) for row in stored if row["event_type"] == "pageview"]
    assert sorted(views) == ["", "checkout", "pricing", "signup"]
    clicks = {row["button"]: row for row in stored if row["event_type"] == "click"}
    assert {
        "Pricing",
        "Choose plan: Pro",
        "Create account",
        "Signed up: Pro",
        "Place order",
    } <= set(clicks)
    assert json.loads(clicks["Place order"]["properties"]) == {"plan": "pro"}
    assert len({row["session_id"] for row in stored}) == 1

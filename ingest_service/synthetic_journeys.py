"""What a synthetic session does: where it came from, and the pages it views and clicks on
in a plausible order (home, pricing, signup, checkout, as the demo site's funnel).

A session starts on a landing page and moves from page to page by the chances below
until it leaves; on each page it clicks that page's buttons now and then. Sources mix
direct visits, search and social referrers, and campaigns with their utm parameters.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

# From each page: the next page and its chance; what is left is the chance to leave.
NEXT_PAGE: dict[str, tuple[tuple[str, float], ...]] = {
    "/": (("/pricing", 0.35), ("/features", 0.2), ("/docs", 0.08), ("/blog", 0.07)),
    "/features": (("/pricing", 0.4), ("/signup", 0.1)),
    "/pricing": (("/signup", 0.4), ("/", 0.08), ("/features", 0.07)),
    "/signup": (("/checkout", 0.55),),
    "/checkout": (),
    "/docs": (("/pricing", 0.2), ("/blog", 0.1)),
    "/blog": (("/", 0.15), ("/pricing", 0.15)),
    "/contact": (),
}
LANDING = (("/", 0.6), ("/pricing", 0.12), ("/blog", 0.18), ("/docs", 0.1))
# The buttons of each page, each clicked by a viewer with its chance.
BUTTONS_ON: dict[str, tuple[tuple[str, float], ...]] = {
    "/": (("Start free trial", 0.25), ("Watch demo video", 0.15)),
    "/features": (("Read docs", 0.2),),
    "/pricing": (("Choose plan", 0.45), ("Contact sales", 0.05)),
    "/signup": (("Create account", 0.6),),
    "/checkout": (("Place order", 0.6),),
    "/docs": (("Download", 0.1),),
    "/blog": (("Subscribe", 0.1),),
    "/contact": (),
}
PLANS = (("starter", 0.3), ("pro", 0.55), ("team", 0.15))
# (referrer host, utm_source, utm_medium, utm_campaign) and its share of sessions.
SOURCES: tuple[tuple[tuple[str | None, str | None, str | None, str | None], float], ...] = (
    ((None, None, None, None), 0.42),
    (("www.google.com", None, None, None), 0.2),
    (("duckduckgo.com", None, None, None), 0.05),
    (("news.ycombinator.com", None, None, None), 0.05),
    (("t.co", None, None, None), 0.04),
    ((None, "newsletter", "email", "winter-sale"), 0.1),
    (("www.google.com", "google", "cpc", "brand"), 0.09),
    (("www.linkedin.com", "linkedin", "social", "launch"), 0.05),
)
MAX_PAGES = 12


@dataclass(frozen=True)
class Source:
    referrer_host: str | None
    utm_source: str | None
    utm_medium: str | None
    utm_campaign: str | None


@dataclass(frozen=True)
class Step:
    """One event of a session: seconds after its start, a page view or a click there."""

    after_s: int
    path: str
    button: str | None  # None: the page view
    properties: dict[str, str] | None = None


def _pick(rng: random.Random, choices: Sequence[tuple[T, float]]) -> T | None:
    """One of the choices by its chance; None with the chance left over."""
    roll = rng.random()
    for choice, chance in choices:
        if roll < chance:
            return choice
        roll -= chance
    return None


def source_of_session(rng: random.Random) -> Source:
    referrer, utm_source, medium, campaign = _pick(rng, SOURCES) or SOURCES[0][0]
    return Source(referrer, utm_source, medium, campaign)


def journey(rng: random.Random) -> list[Step]:
    """The session's events in order: page views, each with a few clicks after it."""
    steps: list[Step] = []
    at = 0
    page: str | None = _pick(rng, LANDING) or "/"
    plan = _pick(rng, PLANS) or "pro"
    while page is not None and len(steps) < MAX_PAGES * 3:
        steps.append(Step(at, page, None))
        for button, chance in BUTTONS_ON[page]:
            if rng.random() < chance:
                at += rng.randint(3, 60)
                properties = {"plan": plan} if page in ("/pricing", "/checkout") else None
                steps.append(Step(at, page, button, properties))
        at += rng.randint(5, 120)
        page = _pick(rng, NEXT_PAGE[page])
    return steps

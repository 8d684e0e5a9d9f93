"""Realistic synthetic clicks for demos, tests and benchmarks (`clickstream generate`)."""

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from ingest_service.contract import Click, properties_json
from ingest_service.synthetic_journeys import Step, journey, source_of_session
from ingest_service.user_agent import parse_user_agent

USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.6 Mobile/15E148 Safari/604.1",
)
# (city, country, latitude, longitude, time zone); country names as reverse geocoding gives them
PLACES = (
    ("London", "United Kingdom", 51.51, -0.13, "Europe/London"),
    ("Berlin", "Germany", 52.52, 13.40, "Europe/Berlin"),
    ("New York", "United States", 40.71, -74.01, "America/New_York"),
    ("San Francisco", "United States", 37.77, -122.42, "America/Los_Angeles"),
    ("Sao Paulo", "Brazil", -23.55, -46.63, "America/Sao_Paulo"),
    ("Mumbai", "India", 19.08, 72.88, "Asia/Kolkata"),
    ("Tokyo", "Japan", 35.68, 139.69, "Asia/Tokyo"),
    ("Sydney", "Australia", -33.87, 151.21, "Australia/Sydney"),
)
# Crawlers and automated browsers: the user agent says so, and the server flags them.
BOT_USER_AGENTS = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.0.0 Safari/537.36",
)
# Monday first; a business site is busier on weekdays. The mean is 1, so a week of
# `clicks_per_day` keeps its total.
WEEKDAY_VOLUME = (1.1, 1.15, 1.1, 1.05, 0.95, 0.8, 0.85)
# Shares of sessions: visitors whose site turned the anonymous id on, crawlers, and pages
# that send no session id (the original app, or a tracker with sessions off).
ANONYMOUS_SHARE = 0.4
BOT_SHARE = 0.05
NO_SESSION_SHARE = 0.05
_SCREENS = ((1920, 1080), (1440, 900), (390, 844), (412, 915), (2560, 1440), (820, 1180))
_SECONDS_PER_DAY = 86_400


def clicks_on(day: date, clicks_per_day: int, *, weekly: bool) -> int:
    """The day's click count: `clicks_per_day` exactly, or shaped by weekday when `weekly`."""
    return round(clicks_per_day * WEEKDAY_VOLUME[day.weekday()]) if weekly else clicks_per_day


def synthetic_clicks(
    start: date,
    days: int,
    clicks_per_day: int,
    *,
    seed: int = 0,
    site: str = "https://shop.example",
    weekly: bool = False,
) -> Iterator[Click]:
    """Sessions spread over every day with an evening peak, `clicks_per_day` events a day
    (page views and clicks): each session a journey through the site's pages from its
    source (synthetic_journeys). Every event of a day's sessions lands on that day.

    Some visitors carry an anonymous id and come back on later days, some sessions are
    bots, some events come without a session. `weekly` varies the volume by weekday.
    """
    rng = random.Random(seed)
    visitors: list[str] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        midnight = datetime.combine(day, time(), tzinfo=UTC)
        remaining = clicks_on(day, clicks_per_day, weekly=weekly)
        while remaining > 0:
            session = _Session(rng, visitors)
            steps = journey(rng)[:remaining]
            remaining -= len(steps)
            # Triangular around 19:00 UTC: more traffic in the evening; over by midnight.
            start_s = int(rng.triangular(0, _SECONDS_PER_DAY - 1, 19 * 3600))
            start_s = min(start_s, _SECONDS_PER_DAY - 1 - steps[-1].after_s)
            for step in steps:
                received = midnight + timedelta(
                    seconds=start_s + step.after_s, microseconds=rng.randrange(1_000_000)
                )
                yield session.event(rng, received, site, step)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _anonymous_id(rng: random.Random, visitors: list[str]) -> str | None:
    if rng.random() >= ANONYMOUS_SHARE:
        return None
    # Half of these visitors have been here before.
    if visitors and rng.random() < 0.5:
        return rng.choice(visitors)
    visitors.append(_uuid(rng))
    return visitors[-1]


class _Session:
    def __init__(self, rng: random.Random, visitors: list[str]) -> None:
        kind = rng.random()
        is_bot = kind < BOT_SHARE
        self.id = None if BOT_SHARE <= kind < BOT_SHARE + NO_SESSION_SHARE else _uuid(rng)
        self.anonymous_id = None if is_bot else _anonymous_id(rng, visitors)
        self.user_agent = rng.choice(BOT_USER_AGENTS if is_bot else USER_AGENTS)
        self.agent = parse_user_agent(self.user_agent)
        self.place = rng.choice(PLACES)
        self.screen = rng.choice(_SCREENS)
        self.shares_location = rng.random() < 0.6
        self.source = source_of_session(rng)
        self.clock_offset = timedelta(milliseconds=rng.randint(-2_000, 2_000))

    def event(self, rng: random.Random, received_at: datetime, site: str, step: Step) -> Click:
        city, country, lat, lon, zone = self.place
        return Click(
            id=_uuid(rng),
            event_type="pageview" if step.button is None else "click",
            button=step.button or "",
            page_url=site + step.path,
            referrer_host=self.source.referrer_host,
            utm_source=self.source.utm_source,
            utm_medium=self.source.utm_medium,
            utm_campaign=self.source.utm_campaign,
            properties=properties_json(step.properties) if step.properties else None,
            # Clients' clocks run a little off; the server's is the reference.
            client_ts=received_at - self.clock_offset,
            client_ts_zoneless=False,
            received_at=received_at,
            event_date=received_at.date(),
            session_id=self.id,
            anonymous_id=self.anonymous_id,
            user_agent=self.user_agent,
            platform=self.agent.os,
            language="en-US",
            screen_width=self.screen[0],
            screen_height=self.screen[1],
            viewport_width=self.screen[0],
            viewport_height=self.screen[1] - 120,
            time_zone=zone,
            device_type=self.agent.device_type,
            browser=self.agent.browser,
            browser_version=self.agent.browser_version,
            os=self.agent.os,
            os_version=self.agent.os_version,
            latitude=round(lat + rng.uniform(-0.05, 0.05), 2) if self.shares_location else None,
            longitude=round(lon + rng.uniform(-0.05, 0.05), 2) if self.shares_location else None,
            accuracy_m=float(rng.randint(10, 500)) if self.shares_location else None,
            city=None if self.shares_location else city,
            country=None if self.shares_location else country,
            is_bot=self.agent.is_bot,
        )

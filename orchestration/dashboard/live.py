"""The live panel's figures: the last hour, per minute, from the click store."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import anyio
from litestar import get
from litestar.di import NamedDependency

from ingest_service.store import ClickStore
from orchestration.dashboard.responses import LiveClicks, MinuteClicks

Clock = Callable[[], datetime]
MINUTES = 60


def utc_now() -> datetime:
    return datetime.now(UTC)


def lake_schedule(cron: str) -> str:
    """When a day's clicks reach the lake, from the nightly schedule's cron (UTC)."""
    minute, hour, *rest = cron.split()
    if minute.isdigit() and hour.isdigit() and rest == ["*", "*", "*"]:
        return f"after the day closes, at {int(hour):02d}:{int(minute):02d} UTC"
    return f"after the day closes, on the schedule {cron} (UTC)"


def live_clicks(per_minute: dict[datetime, int], now: datetime, schedule: str) -> LiveClicks:
    """Every minute of the last hour, the quiet ones as zero; the last one is still running."""
    current = now.replace(second=0, microsecond=0)
    minutes = [current - timedelta(minutes=n) for n in reversed(range(MINUTES))]
    series = [MinuteClicks(minute=m, clicks=per_minute.get(m, 0)) for m in minutes]

    def last(n: int) -> int:
        return sum(point.clicks for point in series[-n:])

    return LiveClicks(
        as_of=now,
        last_5_minutes=last(5),
        last_15_minutes=last(15),
        last_60_minutes=last(60),
        per_minute=series,
        lake_schedule=schedule,
    )


@get("/live", tags=["dashboard"])
async def live(
    store: NamedDependency[ClickStore],
    clock: NamedDependency[Clock],
    schedule: NamedDependency[str],
) -> LiveClicks:
    """Clicks in the last 5, 15 and 60 minutes and per minute, bots and page views left out.

    Read from the click store: today's clicks reach the lake, and the other figures, only
    after the day closes, when the nightly run starts (`lake_schedule` says when).
    "The last 5 minutes" are the current minute so far and the 4 before it.
    """
    now = clock()
    since = now.replace(second=0, microsecond=0) - timedelta(minutes=MINUTES - 1)
    rows = await anyio.to_thread.run_sync(store.clicks_per_minute, since)
    return live_clicks(dict(rows), now, schedule)

"""The live panel from the click store: the last hour per minute, bots left out."""

from datetime import UTC, datetime, timedelta

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from ingest_service.store.sqlite import SQLiteClickStore
from orchestration.dashboard.live import lake_schedule
from tests.dashboard.conftest import NOW
from tests.dashboard.seed import click

pytestmark = pytest.mark.anyio


def _at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 3, 20, hour, minute, second, tzinfo=UTC)


async def test_last_5_15_and_60_minutes(
    reader: AsyncTestClient[Litestar], sqlite_store: SQLiteClickStore
) -> None:
    # The clock says 12:30:30: "the last 5 minutes" are 12:26 to now.
    sqlite_store.write(
        [
            *(click(_at(12, 30, 10), "Sign up", "/") for _ in range(2)),
            click(_at(12, 26, 0), "Sign up", "/"),
            *(click(_at(12, 20, 0), "Buy now", "/") for _ in range(3)),
            *(click(_at(11, 31, 0), "Buy now", "/") for _ in range(4)),
            click(_at(11, 30, 59), "Too early", "/"),
            click(_at(12, 30, 0), "Crawled", "/", is_bot=True),
        ]
    )

    live = (await reader.get("/api/dashboard/live")).json()

    assert live["as_of"] == "2026-03-20T12:30:30Z"
    assert (live["last_5_minutes"], live["last_15_minutes"], live["last_60_minutes"]) == (3, 6, 10)
    minutes = live["per_minute"]
    assert len(minutes) == 60
    assert minutes[0] == {"minute": "2026-03-20T11:31:00Z", "clicks": 4}
    assert minutes[-1] == {"minute": "2026-03-20T12:30:00Z", "clicks": 2}
    assert sum(m["clicks"] for m in minutes) == 10
    assert live["lake_schedule"] == "after the day closes, at 00:30 UTC"


async def test_a_quiet_hour_is_sixty_zeros(reader: AsyncTestClient[Litestar]) -> None:
    live = (await reader.get("/api/dashboard/live")).json()

    assert live["last_60_minutes"] == 0
    assert [m["clicks"] for m in live["per_minute"]] == [0] * 60


@pytest.mark.parametrize(
    ("cron", "said"),
    [
        ("5 2 * * *", "after the day closes, at 02:05 UTC"),
        ("0 */6 * * *", "after the day closes, on the schedule 0 */6 * * * (UTC)"),
    ],
)
def test_the_lake_schedule_comes_from_the_nightly_cron(cron: str, said: str) -> None:
    assert lake_schedule(cron) == said


def test_sqlite_counts_per_minute_from_since(sqlite_store: SQLiteClickStore) -> None:
    since = NOW - timedelta(minutes=2)
    sqlite_store.write(
        [
            click(since - timedelta(microseconds=1), "before", "/"),
            click(since, "at since", "/"),
            click(since + timedelta(seconds=59), "same minute", "/"),
            click(NOW, "now", "/"),
        ]
    )

    assert sqlite_store.clicks_per_minute(since) == [
        (_at(12, 28), 1),
        (_at(12, 29), 1),
        (_at(12, 30), 1),
    ]


async def test_page_views_are_not_clicks(
    reader: AsyncTestClient[Litestar], sqlite_store: SQLiteClickStore
) -> None:
    viewed = [click(_at(12, 29), "", f"/page-{n}") for n in range(3)]
    sqlite_store.write(
        [
            click(_at(12, 29), "Sign up", "/"),
            *(msgspec.structs.replace(view, event_type="pageview") for view in viewed),
        ]
    )

    live = (await reader.get("/api/dashboard/live")).json()

    assert live["last_5_minutes"] == live["last_60_minutes"] == 1

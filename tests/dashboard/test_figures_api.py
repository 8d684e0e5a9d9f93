"""The API's figures against the seeded clicks: exact counts, shares and trends."""

from datetime import date, timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from ingest_service.settings import ServeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from tests.dashboard.conftest import dashboard_settings
from tests.dashboard.lake import store_and_summarize
from tests.dashboard.seed import DAYS, PERIOD, seeded_clicks

pytestmark = pytest.mark.anyio
Client = AsyncTestClient[Litestar]


@pytest.fixture(scope="module")
def seeded_settings(tmp_path_factory: pytest.TempPathFactory) -> ServeSettings:
    """One lake for the module: the pipeline's steps take seconds, the tests only read."""
    settings = dashboard_settings(tmp_path_factory.mktemp("seeded"))
    store = SQLiteClickStore(settings.store_path)
    store.setup()
    try:
        store_and_summarize(settings, store, seeded_clicks(), DAYS)
    finally:
        store.close()
    return settings


@pytest.fixture
def settings(seeded_settings: ServeSettings) -> ServeSettings:
    return seeded_settings


async def test_clicks_per_day_sit_beside_the_previous_period(reader: Client) -> None:
    response = await reader.get("/api/dashboard/clicks/daily", params=PERIOD)

    assert response.status_code == 200
    daily = response.json()
    assert daily["period"] == {"start": "2026-03-08", "end": "2026-03-14"}
    assert daily["previous"] == {"start": "2026-03-01", "end": "2026-03-07"}
    assert (daily["total"], daily["previous_total"]) == (5, 5)
    by_day = {
        d["day"]: (d["clicks"], d["previous_day"], d["previous_clicks"]) for d in daily["days"]
    }
    assert len(by_day) == 7
    assert by_day["2026-03-10"] == (3, "2026-03-03", 1)
    assert by_day["2026-03-12"] == (2, "2026-03-05", 4)
    assert by_day["2026-03-08"] == (0, "2026-03-01", 0)


async def test_clicks_per_hour_of_day(reader: Client) -> None:
    hourly = (await reader.get("/api/dashboard/clicks/hourly", params=PERIOD)).json()

    hours = {h["hour"]: (h["clicks"], h["previous_clicks"]) for h in hourly["hours"]}
    assert len(hours) == 24
    assert hours[9] == (3, 1)
    assert hours[18] == (2, 4)
    assert sum(clicks for clicks, _ in hours.values()) == 5


async def test_top_buttons_have_share_and_trend(reader: Client) -> None:
    buttons = (await reader.get("/api/dashboard/buttons", params=PERIOD)).json()

    assert (buttons["total"], buttons["previous_total"]) == (5, 5)
    assert buttons["rows"] == [
        {"name": "Sign up", "clicks": 3, "share": 0.6, "previous_clicks": 1, "change": 2.0},
        {"name": "Buy now", "clicks": 2, "share": 0.4, "previous_clicks": 4, "change": -0.5},
    ]


async def test_pages_are_urls_without_query_or_fragment(reader: Client) -> None:
    pages = (await reader.get("/api/dashboard/pages", params=PERIOD)).json()

    assert [(r["name"], r["clicks"]) for r in pages["rows"]] == [
        ("https://shop.example/pricing", 3),
        ("https://shop.example/checkout", 2),
    ]


async def test_a_value_new_in_the_period_has_no_relative_change(reader: Client) -> None:
    """Log in was clicked only before the previous period: a period that includes it."""
    params = {"start": "2026-02-28", "end": "2026-03-01"}
    buttons = (await reader.get("/api/dashboard/buttons", params=params)).json()

    assert buttons["rows"] == [
        {"name": "Log in", "clicks": 5, "share": 1.0, "previous_clicks": 0, "change": None}
    ]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("devices/types", [("desktop", 3), ("mobile", 2)]),
        ("devices/browsers", [("Chrome", 3), ("Mobile Safari", 2)]),
        ("devices/operating-systems", [("Windows", 3), ("iOS", 2)]),
        # Coordinates are reverse-geocoded; without them the client's own place is used.
        # Unknown places had clicks only in the previous period: listed last, with none now.
        ("geo/countries", [("United Kingdom", 3), ("DE", 2), ("unknown", 0)]),
        ("geo/regions", [("England, United Kingdom", 3), ("Berlin, DE", 2), ("unknown", 0)]),
    ],
)
async def test_devices_and_places(
    reader: Client, path: str, expected: list[tuple[str, int]]
) -> None:
    ranking = (await reader.get(f"/api/dashboard/{path}", params=PERIOD)).json()

    assert [(r["name"], r["clicks"]) for r in ranking["rows"]] == expected
    assert ranking["total"] == 5


async def test_limit_keeps_the_most_clicked_and_the_whole_total(reader: Client) -> None:
    ranking = (await reader.get("/api/dashboard/buttons", params={**PERIOD, "limit": "1"})).json()

    assert [r["name"] for r in ranking["rows"]] == ["Sign up"]
    assert ranking["total"] == 5


async def test_default_range_is_the_last_30_complete_days(reader: Client) -> None:
    daily = (await reader.get("/api/dashboard/clicks/daily")).json()

    # The test clock says 20 March 2026: yesterday and the 29 days before it.
    assert daily["period"] == {"start": "2026-02-18", "end": "2026-03-19"}
    assert daily["total"] == 15


async def test_days_without_summaries_count_zero_and_are_named(reader: Client) -> None:
    later = date(2026, 6, 1)
    params = {"start": later.isoformat(), "end": (later + timedelta(days=6)).isoformat()}
    daily = (await reader.get("/api/dashboard/clicks/daily", params=params)).json()
    buttons = (await reader.get("/api/dashboard/buttons", params=params)).json()

    assert (daily["total"], len(daily["days"])) == (0, 7)
    assert not any(d["summarized"] or d["previous_summarized"] for d in daily["days"])
    assert buttons == {**buttons, "total": 0, "rows": []}
    assert daily["coverage"] == buttons["coverage"]
    assert daily["coverage"] == {
        "data_up_to": "2026-03-14",
        "missing_days": [(later + timedelta(days=n)).isoformat() for n in range(7)],
        "previous_missing_days": [(later - timedelta(days=7 - n)).isoformat() for n in range(7)],
        "compared_days": 0,
        "complete": False,
    }


async def test_the_change_is_over_days_summarized_in_both_periods(reader: Client) -> None:
    """12-18 March against 5-11 March: 15-18 March are not summarized yet."""
    params = {"start": "2026-03-12", "end": "2026-03-18"}
    daily = (await reader.get("/api/dashboard/clicks/daily", params=params)).json()
    hourly = (await reader.get("/api/dashboard/clicks/hourly", params=params)).json()

    assert daily["coverage"] == hourly["coverage"]
    assert daily["coverage"] == {
        "data_up_to": "2026-03-14",
        "missing_days": ["2026-03-15", "2026-03-16", "2026-03-17", "2026-03-18"],
        "previous_missing_days": [],
        "compared_days": 3,
        "complete": False,
    }
    # All of each period that is there, and the like-for-like days 12-14 against 5-7.
    assert (daily["total"], daily["previous_total"]) == (2, 7)
    assert (daily["compared_total"], daily["compared_previous_total"]) == (2, 4)
    assert [d["summarized"] for d in daily["days"]] == [True] * 3 + [False] * 4


async def test_each_table_downloads_as_the_same_rows_in_csv(reader: Client) -> None:
    response = await reader.get("/api/dashboard/buttons.csv", params=PERIOD)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert (
        'filename="clickstream-buttons-2026-03-08-to-2026-03-14.csv"'
        in (response.headers["content-disposition"])
    )
    assert response.text.splitlines() == [
        "name,clicks,share,previous_clicks,change",
        "Sign up,3,0.6,1,2.0",
        "Buy now,2,0.4,4,-0.5",
    ]


async def test_daily_csv_has_a_line_per_day(reader: Client) -> None:
    lines = (await reader.get("/api/dashboard/clicks/daily.csv", params=PERIOD)).text.splitlines()

    assert lines[0] == "day,clicks,summarized,previous_day,previous_clicks,previous_summarized"
    assert len(lines) == 1 + 7
    assert "2026-03-10,3,True,2026-03-03,1,True" in lines

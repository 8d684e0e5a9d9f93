"""The journey panels' endpoints over the hand-built sessions of the pipeline's tests."""

import csv
import io
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from ingest_service.settings import ServeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from orchestration.dashboard.journeys import median_of
from tests.dashboard.conftest import dashboard_settings
from tests.dashboard.lake import store_and_summarize
from tests.pipeline.test_journeys import DAYS, EVENTS

pytestmark = pytest.mark.anyio
Client = AsyncTestClient[Litestar]
WEEK = {"start": "2026-03-02", "end": "2026-03-08"}
TWO_WEEKS = {"start": "2026-03-02", "end": "2026-03-15"}


@pytest.fixture(scope="module")
def journey_settings(tmp_path_factory: pytest.TempPathFactory) -> ServeSettings:
    settings = dashboard_settings(tmp_path_factory.mktemp("journeys"))
    store = SQLiteClickStore(settings.store_path)
    store.setup()
    try:
        store_and_summarize(settings, store, EVENTS, DAYS)
    finally:
        store.close()
    return settings


@pytest.fixture
def settings(journey_settings: ServeSettings) -> ServeSettings:
    return journey_settings


async def _json(reader: Client, path: str, params: dict[str, str]) -> Any:
    response = await reader.get(f"/api/dashboard/{path}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_session_figures_beside_the_previous_period(reader: Client) -> None:
    figures = await _json(reader, "sessions", WEEK)
    period, previous = figures["rows"]
    assert (period["sessions"], period["bounce_rate"], period["page_views_per_session"]) == (
        4,
        0.25,
        2.5,
    )
    # Durations 0, 120, 360 and 1,200 s: the median is the mean of the middle two.
    assert period["median_duration_s"] == 240
    assert (previous["start"], previous["sessions"], previous["bounce_rate"]) == (
        "2026-02-23",
        0,
        None,
    )


async def test_sources_and_campaigns_by_sessions(reader: Client) -> None:
    sources = await _json(reader, "sources", WEEK)
    rows = [(r["source"], r["medium"], r["campaign"], r["sessions"]) for r in sources["rows"]]
    assert rows == [
        ("direct", "none", "(none)", 2),
        ("news.example", "referral", "(none)", 1),
        ("newsletter", "email", "winter", 1),
    ]
    assert sources["total"] == 4


async def test_top_paths_with_the_share_of_the_page_left(reader: Client) -> None:
    paths = await _json(reader, "paths", {**WEEK, "limit": "3"})
    (top, *_) = paths["rows"]
    assert (top["from_page"], top["to_page"], top["transitions"], top["share"]) == (
        "/pricing",
        "/signup",
        3,
        1.0,
    )
    assert len(paths["rows"]) == 3


async def test_each_configured_funnel_as_steps_with_conversion(reader: Client) -> None:
    funnels = await _json(reader, "funnels", WEEK)
    assert funnels["error"] is None
    steps = {(r["funnel"], r["step"]): r for r in funnels["rows"]}
    assert [steps[("Pricing to checkout", n)]["sessions"] for n in (1, 2, 3, 4)] == [3, 3, 1, 1]
    last = steps[("Pricing to checkout", 4)]
    assert (last["label"], last["conversion"], last["from_previous"]) == (
        "button Place order",
        1 / 3,
        1.0,
    )
    assert [steps[("Pro plan", n)]["sessions"] for n in (1, 2)] == [1, 1]


async def test_the_retention_triangle(reader: Client) -> None:
    retention = await _json(reader, "retention", TWO_WEEKS)
    cells = [
        (r["cohort_week"], r["week_offset"], r["visitors"], r["share"]) for r in retention["rows"]
    ]
    assert cells == [("2026-03-02", 0, 4, 1.0), ("2026-03-02", 1, 1, 0.25)]


@pytest.mark.parametrize("path", ["sessions", "sources", "paths", "funnels", "retention"])
async def test_each_panel_has_its_csv(reader: Client, path: str) -> None:
    response = await reader.get(f"/api/dashboard/{path}.csv", params=WEEK)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    answer = await _json(reader, path, WEEK)
    assert len(rows) == len(answer["rows"])
    assert rows


def test_the_median_of_counted_values() -> None:
    assert median_of([(30, 1), (10, 3)]) == 10
    assert median_of([(7, 1), (5, 1)]) == 6
    assert median_of([(5, 2), (9, 0)]) == 5
    assert median_of([]) is None

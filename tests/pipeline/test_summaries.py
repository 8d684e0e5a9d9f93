"""Summary tables against counts made in Python from the clicks the store was given."""

from collections import Counter
from datetime import date
from pathlib import Path
from typing import NamedTuple

import dagster as dg
import pytest
from msgspec.structs import replace

from ingest_service.contract import Click
from ingest_service.settings import PipelineSettings
from ingest_service.store.sqlite import SQLiteClickStore
from ingest_service.synthetic import synthetic_clicks
from orchestration.checks.journeys import JOURNEY_CHECKS
from orchestration.query_output import run_query
from orchestration.resources import catalog_path
from orchestration.resources.catalog import LocalCatalog
from tests.pipeline.conftest import DAYS, FIRST_DAY, Pipeline, days, generated_clicks

LAST_DAY = days(FIRST_DAY, DAYS)[-1]


class Summarized(NamedTuple):
    settings: PipelineSettings
    result: dg.ExecuteInProcessResult
    clicks: list[Click]


@pytest.fixture(scope="module")
def summarized(tmp_path_factory: pytest.TempPathFactory) -> Summarized:
    """The days run once, in one run, for the tests that only read what it wrote."""
    directory = tmp_path_factory.mktemp("summarized")
    settings = PipelineSettings(data_dir=directory / "data", start_date=date(2026, 1, 1))
    clicks = generated_clicks()
    store = SQLiteClickStore(settings.store_path)
    store.setup()
    try:
        store.write(clicks)
    finally:
        store.close()
    pipeline = Pipeline(settings)
    try:
        result = pipeline.materialize(FIRST_DAY, LAST_DAY)
    finally:
        pipeline.instance.dispose()
    assert result.success
    return Summarized(settings, result, clicks)


def _rows(settings: PipelineSettings, sql: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = run_query(settings, sql).to_pylist()
    return rows


def _clicks_only(events: list[Click]) -> list[Click]:
    """The generated clicks without the page views, which the click summaries leave out."""
    return [event for event in events if event.event_type == "click"]


def test_clicks_per_button_leave_bots_out_and_count_them_apart(summarized: Summarized) -> None:
    settings, _, clicks = summarized
    rows = _rows(settings, "SELECT event_date, button, clicks, bot_clicks FROM clicks_by_button")
    humans = Counter((c.event_date, c.button) for c in _clicks_only(clicks) if not c.is_bot)
    bots = Counter((c.event_date, c.button) for c in _clicks_only(clicks) if c.is_bot)
    assert {(r["event_date"], r["button"]): r["clicks"] for r in rows} == {
        key: humans[key] for key in humans | bots
    }
    assert sum(int(str(r["bot_clicks"])) for r in rows) == sum(bots.values()) > 0


def test_hours_pages_devices_and_sessions_add_up_to_the_days_clicks(
    summarized: Summarized,
) -> None:
    settings, result, clicks = summarized
    journey_checks = {
        (e.asset_key.path[0], e.check_name, e.passed)
        for e in result.get_asset_check_evaluations()
        if e.asset_key.path[0] in JOURNEY_CHECKS
    }
    assert journey_checks == {(table, check, True) for table, check in JOURNEY_CHECKS.items()}

    per_day = Counter(c.event_date for c in _clicks_only(clicks) if not c.is_bot)
    for table in ("clicks_by_hour", "clicks_by_page", "clicks_by_device", "clicks_by_region"):
        sums = _rows(settings, f"SELECT event_date, sum(clicks) AS n FROM {table} GROUP BY 1")
        assert {r["event_date"]: r["n"] for r in sums} == per_day, table


def test_sessions_count_bots_and_clicks_without_a_session_apart(summarized: Summarized) -> None:
    settings, _, clicks = summarized
    columns = "sessions, session_clicks, clicks_without_session, bot_sessions"
    rows = _rows(settings, f"SELECT event_date, {columns} FROM sessions_daily")
    found = {r.pop("event_date"): r for r in rows}
    expected = {day: _sessions_of([c for c in clicks if c.event_date == day]) for day in found}
    assert found == expected
    assert set(found) == set(days(FIRST_DAY, DAYS))
    # The generator's bots and session-less pages make every column count something.
    for day, row in found.items():
        assert 0 not in row.values(), (day, row)


def _sessions_of(events: list[Click]) -> dict[str, int]:
    """A session is made by any of its events; its clicks are the click events."""
    bot_sessions = {c.session_id for c in events if c.session_id and c.is_bot}
    human = [c for c in events if c.session_id and c.session_id not in bot_sessions]
    clicks = [c for c in events if c.event_type == "click"]
    return {
        "sessions": len({c.session_id for c in human}),
        "session_clicks": sum(1 for c in human if c.event_type == "click"),
        "clicks_without_session": sum(1 for c in clicks if not c.session_id and not c.is_bot),
        "bot_sessions": len(bot_sessions),
    }


def test_a_summary_partition_is_replaced_not_appended(
    pipeline: Pipeline, settings: PipelineSettings
) -> None:
    pipeline.materialize(FIRST_DAY)
    before = _rows(settings, "SELECT * FROM clicks_by_hour ORDER BY hour")

    pipeline.materialize(FIRST_DAY)

    assert _rows(settings, "SELECT * FROM clicks_by_hour ORDER BY hour") == before


def test_each_month_is_compacted_into_one_partition_with_its_days_rows(
    settings: PipelineSettings, sqlite_store: SQLiteClickStore
) -> None:
    # February 27 to March 2: two months; March 1 then gets more clicks and is run again.
    first = list(synthetic_clicks(date(2026, 2, 27), 4, 200, seed=3))
    sqlite_store.write(first)
    columns = "year, month, event_date, button, clicks, bot_clicks"
    order = "ORDER BY event_date, button"
    pipeline = Pipeline(settings)
    try:
        assert pipeline.materialize(date(2026, 2, 27), date(2026, 3, 2)).success
        sqlite_store.write(list(synthetic_clicks(date(2026, 3, 1), 1, 300, seed=4)))
        assert pipeline.materialize(date(2026, 3, 1)).success
    finally:
        pipeline.instance.dispose()

    daily = _rows(settings, f"SELECT {columns} FROM clicks_by_button {order}")
    compacted = _rows(settings, f"SELECT {columns} FROM clicks_by_button_compacted {order}")
    assert compacted == daily
    # March 1's figures are those of the second run: more clicks than the first had.
    first_run = [c for c in _clicks_only(first) if c.event_date == date(2026, 3, 1)]
    march_1 = sum(int(str(r["clicks"])) for r in daily if r["event_date"] == date(2026, 3, 1))
    assert march_1 > sum(1 for c in first_run if not c.is_bot)
    catalog = LocalCatalog(path=catalog_path(settings))
    assert list(catalog.partitions("clicks_by_button_compacted")) == [
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    # One file a month, the one the catalog points at: the earlier write of March is gone.
    compacted_dir = Path(settings.lake_root) / "summaries" / "clicks_by_button_compacted"
    assert sorted(compacted_dir.rglob("*.parquet")) == [
        Path(location) / "summary.parquet"
        for location in catalog.partitions("clicks_by_button_compacted").values()
    ]


def test_regions_come_from_coordinates_else_from_the_clients_place(
    settings: PipelineSettings, sqlite_store: SQLiteClickStore
) -> None:
    day = FIRST_DAY
    london = [
        replace(
            click,
            latitude=51.51,
            longitude=-0.13,
            city=None,
            country=None,
            is_bot=False,
            event_type="click",
            button=click.button or "Buy",
        )
        for click in synthetic_clicks(day, 1, 5, seed=1)
    ]
    lyon = [
        replace(
            click,
            latitude=None,
            longitude=None,
            city="Lyon",
            country="FR",
            is_bot=False,
            event_type="click",
            button=click.button or "Buy",
        )
        for click in synthetic_clicks(day, 1, 4, seed=2)
    ]
    nowhere = [
        replace(
            click,
            latitude=None,
            longitude=None,
            city=None,
            country=None,
            is_bot=True,
            event_type="click",
            button=click.button or "Buy",
        )
        for click in synthetic_clicks(day, 1, 2, seed=3)
    ]
    sqlite_store.write([*london, *lyon, *nowhere])
    pipeline = Pipeline(settings)
    try:
        assert pipeline.materialize(day).success
    finally:
        pipeline.instance.dispose()

    regions = _rows(
        settings, "SELECT country, region, clicks, bot_clicks FROM clicks_by_region ORDER BY 1"
    )
    assert regions == [
        {"country": "FR", "region": "Lyon", "clicks": 4, "bot_clicks": 0},
        {"country": "United Kingdom", "region": "England", "clicks": 5, "bot_clicks": 0},
        {"country": "unknown", "region": "unknown", "clicks": 0, "bot_clicks": 2},
    ]

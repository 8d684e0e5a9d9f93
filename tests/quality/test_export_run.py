"""Checks over a range of days: each day is checked on its own, history carries over."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from ingest_service.contract import CLICK_SCHEMA
from orchestration.checks.export_run import DayChecker
from orchestration.checks.history import earlier_figures
from orchestration.checks.outcome import combine_days
from orchestration.checks.trends import VOLUME_CHECK, DayFigures
from orchestration.expectations import ExportSuite
from orchestration.resources.catalog import LocalCatalog
from orchestration.resources.duckdb_engine import DuckDBQueryEngine
from orchestration.resources.lake import CLICKS_TABLE, LocalLake, location_of
from tests.quality.tables import DAY, clicks, table_of


@pytest.fixture(scope="module")
def suite() -> ExportSuite:
    return ExportSuite()


def test_a_day_in_a_range_is_compared_with_the_days_before_it(suite: ExportSuite) -> None:
    checker = DayChecker({DAY - timedelta(days=1): DayFigures(100, 0)}, suite)
    per_day = {}
    for offset, count in enumerate((100, 30, 100)):
        day = DAY + timedelta(days=offset)
        table = table_of(clicks(count, day, seed=offset))
        outcomes = {o.check: o for o in checker.check(day, table, count)}
        per_day[day] = outcomes[VOLUME_CHECK]
    assert [o.passed for o in per_day.values()] == [True, False, True]
    combined = combine_days(per_day)
    assert combined.metadata["failed_days"] == str(DAY + timedelta(days=1))


def test_history_is_read_from_the_lake_by_sql(tmp_path: Path) -> None:
    lake = LocalLake(root=str(tmp_path / "lake"))
    catalog = LocalCatalog(path=str(tmp_path / "catalog.sqlite3"))
    catalog.ensure_table(CLICKS_TABLE, CLICK_SCHEMA, lake.table_uri(CLICKS_TABLE))
    days = [date(2026, 3, 8), date(2026, 3, 9)]
    for count, day in zip((40, 60), days, strict=True):
        lake.write_partition(CLICKS_TABLE, day, table_of(clicks(count, day)), CLICK_SCHEMA)
        catalog.add_partition(CLICKS_TABLE, day, location_of(lake.partition_uri(CLICKS_TABLE, day)))
    engine = DuckDBQueryEngine(catalog_path=catalog.path)
    figures = earlier_figures(engine.query, [days[1]])
    assert figures == {days[1]: DayFigures(60, 0)}

"""Checks over a range of days: each day is checked on its own, history carries over."""

from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from ingest_service.contract import CLICK_SCHEMA
from orchestration.checks.export_run import DayChecker, figures_of_table
from orchestration.checks.history import earlier_figures
from orchestration.checks.registry import CHECKS, EXPORT_CHECKS
from orchestration.checks.trends import HISTORY_DAYS, VOLUME_CHECK, DayFigures
from orchestration.expectations import GX_SUITE_CHECK, ExportSuite
from orchestration.resources.catalog import LocalCatalog
from orchestration.resources.duckdb_engine import DuckDBQueryEngine
from orchestration.resources.lake import CLICKS_TABLE, LocalLake, location_of
from orchestration.resources.query_engine import staged_table
from tests.quality.tables import DAY, clicks, table_of, with_column


@pytest.fixture(scope="module")
def suite() -> ExportSuite:
    return ExportSuite()


def test_a_day_in_a_range_is_compared_with_the_days_before_it(suite: ExportSuite) -> None:
    checker = DayChecker({DAY - timedelta(days=1): DayFigures(100, 0)})
    per_day = {}
    # The volume is of click events: the last day's 200 page views do not make it a flood.
    for offset, (count, views) in enumerate(((100, 0), (30, 0), (100, 200))):
        day = DAY + timedelta(days=offset)
        table = table_of(clicks(count + views, day, seed=offset))
        table = with_column(table, "event_type", ["click"] * count + ["pageview"] * views)
        figures = figures_of_table(table, day, suite)
        outcomes = {o.check: o for o in checker.check(day, figures, count + views)}
        per_day[day] = outcomes[VOLUME_CHECK]
    assert [o.passed for o in per_day.values()] == [True, False, True]
    assert per_day[DAY + timedelta(days=2)].metadata["page_views"] == 200


def _lake_of(directory: Path, schema: pa.Schema, counts: dict[date, int]) -> DuckDBQueryEngine:
    """A lake whose catalog's clicks table has `schema`, with a partition per day."""
    lake = LocalLake(root=str(directory / "lake"))
    catalog = LocalCatalog(path=str(directory / "catalog.sqlite3"))
    catalog.ensure_table(CLICKS_TABLE, schema, lake.table_uri(CLICKS_TABLE))
    for day, count in counts.items():
        table = table_of(clicks(count, day)).select(schema.names).cast(schema)
        lake.write_partition(CLICKS_TABLE, day, table, schema)
        catalog.add_partition(CLICKS_TABLE, day, location_of(lake.partition_uri(CLICKS_TABLE, day)))
    return DuckDBQueryEngine(catalog_path=catalog.path)


def test_history_is_read_from_the_lake_by_sql(tmp_path: Path) -> None:
    days = [date(2026, 3, 8), date(2026, 3, 9)]
    engine = _lake_of(tmp_path, CLICK_SCHEMA, {days[0]: 40, days[1]: 60})
    figures = earlier_figures(engine.query, [days[1]], CLICK_SCHEMA.names)
    # The generator makes page views and bots too: the figures count clicks, bots apart.
    generated = [c for c in clicks(60, days[1]) if c.event_type == "click"]
    assert 0 < len(generated) < 60
    bots = sum(c.is_bot for c in generated)
    assert figures == {days[1]: DayFigures(len(generated), bots)}


def test_history_of_a_table_from_before_page_views_counts_every_row(tmp_path: Path) -> None:
    """A catalog not yet brought to contract v2 (its first v2 day is being audited)."""
    v1 = pa.schema(list(CLICK_SCHEMA)[: CLICK_SCHEMA.get_field_index("event_type")])
    day = date(2026, 3, 9)
    figures = earlier_figures(_lake_of(tmp_path, v1, {day: 30}).query, [day], v1.names)
    assert figures == {day: DayFigures(30, sum(c.is_bot for c in clicks(30, day)))}


def test_every_check_has_one_registry_entry_that_agrees_with_its_results(
    suite: ExportSuite,
) -> None:
    figures = figures_of_table(table_of(clicks(50)), DAY, suite)
    outcomes = DayChecker({}).check(DAY, figures, 50)

    assert [o.check for o in outcomes] == [entry.name for entry in EXPORT_CHECKS]
    for outcome in outcomes:
        assert outcome.severity == CHECKS[outcome.check].severity, outcome.check
    assert CHECKS[GX_SUITE_CHECK].blocking
    # Thresholds are quoted from the constants, not retyped.
    assert f"{HISTORY_DAYS} days" in CHECKS[VOLUME_CHECK].description


def test_the_local_engine_reads_a_staged_day_alone_under_its_memory_limit(tmp_path: Path) -> None:
    lake = LocalLake(root=str(tmp_path / "lake"))
    lake.write_partition(CLICKS_TABLE, DAY, table_of(clicks(30)), CLICK_SCHEMA)
    staged = lake.stage_partition(CLICKS_TABLE, DAY, table_of(clicks(12)), CLICK_SCHEMA)
    engine = DuckDBQueryEngine(catalog_path=str(tmp_path / "catalog.sqlite3"))

    found = engine.query_staged(
        staged,
        CLICK_SCHEMA,
        "SELECT current_setting('memory_limit') AS memory_limit, count(*) AS n"
        f" FROM {staged_table(CLICKS_TABLE)} WHERE year = '2026' AND month = '03' AND day = '10'",
    )

    assert found.to_pylist() == [{"memory_limit": "244.1 MiB", "n": 12}]

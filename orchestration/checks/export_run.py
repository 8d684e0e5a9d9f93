"""The export's audit: the checks of each staged day, in day order, before it is published."""

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.assets.export import StagedDay, blocked
from orchestration.checks import contract, trends
from orchestration.checks.day_stats import DayStats, stats_of, stats_of_staged
from orchestration.checks.history import days_before, earlier_figures
from orchestration.checks.outcome import CheckOutcome
from orchestration.expectations import ExportSuite, sample_file
from orchestration.resources.catalog import Catalog
from orchestration.resources.lake import CLICKS_TABLE, Lake, StagedPartition
from orchestration.resources.query_engine import QueryEngine


@dataclass(frozen=True)
class StagedFigures:
    """What the checks read of a day: its schema, its counts, and the Great Expectations
    suite's verdict on a bounded sample of it."""

    schema: pa.Schema
    stats: DayStats
    suite: CheckOutcome


def figures_of_staged(
    lake: Lake, engine: QueryEngine, staged: StagedPartition, suite: ExportSuite
) -> StagedFigures:
    """Counted by the engine over the staged file, the sample read from its head row
    groups: the memory used, and what is read here, do not grow with the day."""
    with lake.staged_file(staged) as source:
        schema = pq.read_schema(source)
        # The engine counts (DuckDB on its own threads, without the GIL; or Athena) while
        # GX (Python) validates.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="day-stats") as counting:
            stats = counting.submit(stats_of_staged, engine, staged, schema)
            verdict = suite.validate(sample_file(source))
            return StagedFigures(schema, stats.result(), verdict)


def figures_of_table(table: pa.Table, day: date, suite: ExportSuite) -> StagedFigures:
    return StagedFigures(table.schema, stats_of(table, day), suite.validate(table))


class DayChecker:
    """Checks days in order. A day that passes its blocking checks (it is published)
    becomes history for the days after it; a held day does not."""

    def __init__(self, earlier: Mapping[date, trends.DayFigures]) -> None:
        self._figures = dict(earlier)

    def check(self, day: date, staged: StagedFigures, store_rows: int) -> list[CheckOutcome]:
        previous = [self._figures[d] for d in days_before(day) if d in self._figures]
        stats = staged.stats
        today = trends.figures_of(stats)
        outcomes = [
            contract.schema_matches(staged.schema),
            contract.required_present(stats),
            contract.ids_unique(stats),
            contract.rows_match_store(stats.rows, store_rows),
            contract.coordinates_in_range(stats),
            contract.timestamps_valid(stats, day),
            staged.suite,
            trends.volume_near_median(stats.clicks, previous, stats.page_views),
            trends.clock_skew(stats),
            trends.not_empty(stats.rows),
            trends.bot_share_steady(today, previous),
        ]
        if not blocked(outcomes):
            self._figures[day] = today
        return outcomes


class StagedDayAudit:
    """The audit `export_day` runs on each staged day of a run, the first day first."""

    def __init__(self, lake: Lake, query_engine: QueryEngine, catalog: Catalog, first: date):
        cataloged = _cataloged_days(catalog)
        days = [d for d in days_before(first) if d in cataloged]
        # The catalog's columns: its table is brought to the contract's only after the audit.
        columns = catalog.table_schema(CLICKS_TABLE).names if days else []
        earlier = earlier_figures(query_engine.query, days, columns)
        self._lake = lake
        self._engine = query_engine
        self._suite = ExportSuite()
        self._checker = DayChecker(earlier)

    def __call__(self, staged: StagedDay) -> list[CheckOutcome]:
        figures = figures_of_staged(self._lake, self._engine, staged.staged, self._suite)
        return self._checker.check(staged.day, figures, staged.store_count)


def _cataloged_days(catalog: Catalog) -> set[date]:
    if CLICKS_TABLE not in catalog.tables():
        return set()
    return set(catalog.partitions(CLICKS_TABLE))

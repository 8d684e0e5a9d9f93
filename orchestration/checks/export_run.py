"""Runs the export's checks day by day after `clicks_export` has written its partitions."""

from collections.abc import Mapping, Sequence
from datetime import date

import dagster as dg
import pyarrow as pa

from orchestration.assets.export import ExportedDay
from orchestration.checks import contract, trends
from orchestration.checks.history import days_before, earlier_figures
from orchestration.checks.outcome import CheckOutcome, combine_days
from orchestration.checks.runbook import REMEDIES
from orchestration.checks.specs import partition_label, to_check_result
from orchestration.expectations import ExportSuite
from orchestration.resources.catalog import Catalog
from orchestration.resources.lake import CLICKS_TABLE, Lake
from orchestration.resources.query_engine import QueryEngine


class DayChecker:
    """Checks days in order; each day's figures become history for the days after it."""

    def __init__(self, earlier: Mapping[date, trends.DayFigures], suite: ExportSuite) -> None:
        self._figures = dict(earlier)
        self._suite = suite

    def check(self, day: date, table: pa.Table, store_rows: int) -> list[CheckOutcome]:
        previous = [self._figures[d] for d in days_before(day) if d in self._figures]
        today = trends.figures_of(table)
        self._figures[day] = today
        return [
            contract.schema_matches(table.schema),
            contract.required_present(table),
            contract.ids_unique(table),
            contract.rows_match_store(table.num_rows, store_rows),
            contract.coordinates_in_range(table),
            contract.timestamps_valid(table, day),
            self._suite.validate(table),
            trends.volume_near_median(table.num_rows, previous),
            trends.clock_skew(table),
            trends.not_empty(table.num_rows),
            trends.bot_share_steady(today, previous),
        ]


def run_export_checks(
    exported: Sequence[ExportedDay], lake: Lake, query_engine: QueryEngine, catalog: Catalog
) -> list[dg.AssetCheckResult]:
    days = [e.day for e in exported]
    cataloged = _cataloged_days(catalog)
    earlier = earlier_figures(
        query_engine.query, [d for d in days_before(days[0]) if d in cataloged]
    )
    checker = DayChecker(earlier, ExportSuite())
    by_check: dict[str, dict[date, CheckOutcome]] = {}
    for item in exported:
        table = lake.read_partition(CLICKS_TABLE, item.day)
        for outcome in checker.check(item.day, table, item.store_count):
            by_check.setdefault(outcome.check, {})[item.day] = outcome
    label = partition_label(days)
    return [
        to_check_result(combine_days(per_day), label, REMEDIES[name])
        for name, per_day in by_check.items()
    ]


def _cataloged_days(catalog: Catalog) -> set[date]:
    if CLICKS_TABLE not in catalog.tables():
        return set()
    return set(catalog.partitions(CLICKS_TABLE))

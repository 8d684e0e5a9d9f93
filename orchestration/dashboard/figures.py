"""The dashboard's figures, read from the summary tables through the query engine.

The SQL is written once in Athena's dialect (`sql/*.sql`) and transpiled for the engine
that runs it, so DuckDB here and Athena in aws mode give the same figures. Each query
reads the period and the one before it in one range of the compacted tables' monthly
partitions: a year and the one before it are 24 files, not 730.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Self

from orchestration.dashboard.period import Period
from orchestration.dashboard.recent import RecentResults
from orchestration.dashboard.responses import (
    Coverage,
    DailyClicks,
    DayClicks,
    HourClicks,
    HourlyClicks,
    RankedRow,
    Ranking,
)
from orchestration.resources import LakeAccess
from orchestration.resources.catalog import Catalog
from orchestration.resources.lake import compacted_table
from orchestration.resources.query_engine import QueryEngine
from orchestration.sql import render_sql, sql_template

HOURLY_TABLE = "clicks_by_hour"
UNKNOWN = "unknown"
# Summaries change once a night: a figure may be a minute older than the latest run.
RESULTS_TTL_S = 60.0
_SQL_DIR = Path(__file__).parent / "sql"


@dataclass(frozen=True)
class Dimension:
    """What the dashboard ranks by: a column (or an expression of columns) of a summary table."""

    table: str
    expression: str


class Figures:
    def __init__(self, engine: QueryEngine, catalog: Catalog, recent: RecentResults) -> None:
        self._engine = engine
        self._catalog = catalog
        self._recent = recent

    @classmethod
    def from_lake(cls, access: LakeAccess) -> Self:
        recent = RecentResults(ttl_s=RESULTS_TTL_S, change_mark=access.lake.change_mark)
        return cls(access.query_engine, access.catalog, recent)

    def daily(self, period: Period) -> DailyClicks:
        previous = period.previous()
        rows = self._rows("clicks_per_day", HOURLY_TABLE, period, {})
        per_day = {row["event_date"]: int(row["clicks"]) for row in rows}
        summarized = self._summarized_days()
        shift = timedelta(days=period.days)
        days = [
            DayClicks(
                day=day,
                clicks=per_day.get(day, 0),
                summarized=day in summarized,
                previous_day=day - shift,
                previous_clicks=per_day.get(day - shift, 0),
                previous_summarized=day - shift in summarized,
            )
            for day in period.dates()
        ]
        compared = [d for d in days if d.summarized and d.previous_summarized]
        return DailyClicks(
            period=period,
            previous=previous,
            total=sum(d.clicks for d in days),
            previous_total=sum(d.previous_clicks for d in days),
            compared_total=sum(d.clicks for d in compared),
            compared_previous_total=sum(d.previous_clicks for d in compared),
            coverage=self.coverage(period),
            days=days,
        )

    def coverage(self, period: Period) -> Coverage:
        summarized = self._summarized_days()
        shift = timedelta(days=period.days)
        missing = [day for day in period.dates() if day not in summarized]
        previous_missing = [day - shift for day in period.dates() if day - shift not in summarized]
        compared = [d for d in period.dates() if d in summarized and d - shift in summarized]
        return Coverage(
            data_up_to=max(summarized, default=None),
            missing_days=missing,
            previous_missing_days=previous_missing,
            compared_days=len(compared),
            complete=not missing and not previous_missing,
        )

    def hourly(self, period: Period) -> HourlyClicks:
        rows = self._rows("clicks_per_hour", HOURLY_TABLE, period, {})
        per_hour = {int(row["hour"]): row for row in rows}
        hours = [
            HourClicks(
                hour=hour,
                clicks=int(per_hour[hour]["clicks"]) if hour in per_hour else 0,
                previous_clicks=int(per_hour[hour]["previous_clicks"]) if hour in per_hour else 0,
            )
            for hour in range(24)
        ]
        return HourlyClicks(
            period=period, previous=period.previous(), coverage=self.coverage(period), hours=hours
        )

    def ranking(self, dimension: Dimension, period: Period, limit: int) -> Ranking:
        values = {"dimension": dimension.expression, "limit": str(limit)}
        rows = self._rows("ranking", dimension.table, period, values)
        total = int(rows[0]["total"]) if rows else 0
        previous_total = int(rows[0]["previous_total"]) if rows else 0
        return Ranking(
            period=period,
            previous=period.previous(),
            total=total,
            previous_total=previous_total,
            coverage=self.coverage(period),
            rows=[_ranked_row(row, total) for row in rows],
        )

    def _summarized_days(self) -> set[date]:
        """The days the nightly pipeline has summarized: the daily table's partitions."""

        def read(_: str) -> list[dict[str, Any]]:
            if HOURLY_TABLE not in self._catalog.tables():
                return []
            return [{"day": day} for day in self._catalog.partitions(HOURLY_TABLE)]

        # Kept as long as query results: both change when a nightly run ends.
        return {row["day"] for row in self._recent.get(f"partitions of {HOURLY_TABLE}", read)}

    def _rows(
        self, query: str, table: str, period: Period, values: dict[str, str]
    ) -> list[dict[str, Any]]:
        source = compacted_table(table)
        # Before the first nightly run the summary table does not exist yet: no clicks.
        if source not in self._catalog.tables():
            return []
        first_day = period.previous().start
        statement = render_sql(
            sql_template(_SQL_DIR, query),
            self._engine.dialect,
            table=source,
            first_day=first_day.isoformat(),
            last_day=period.end.isoformat(),
            # Not strftime's %Y: it drops the leading zeros of years before 1000.
            first_month=first_day.isoformat()[:7],
            last_month=period.end.isoformat()[:7],
            period_start=period.start.isoformat(),
            **values,
        )
        return self._recent.get(statement, self._run)

    def _run(self, statement: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self._engine.query(statement).to_pylist()
        return rows


def _ranked_row(row: dict[str, Any], total: int) -> RankedRow:
    clicks, previous = int(row["clicks"]), int(row["previous_clicks"])
    return RankedRow(
        name=str(row["name"]) if row["name"] is not None else UNKNOWN,
        clicks=clicks,
        share=clicks / total if total else 0.0,
        previous_clicks=previous,
        change=(clicks - previous) / previous if previous else None,
    )

"""Earlier days' figures for the trend checks, read from the lake's `clicks` table.

One query per run, by partition keys only, so both engines prune to the days asked for
and read two columns (one where the catalog's table predates contract v2's types). The
SQL is plain enough to be the same in DuckDB and Athena.
"""

from collections.abc import Callable, Collection
from datetime import date, timedelta

import pyarrow as pa

from orchestration.checks.day_stats import is_click_sql
from orchestration.checks.trends import HISTORY_DAYS, DayFigures

Query = Callable[[str], pa.Table]


def days_before(first: date, count: int = HISTORY_DAYS) -> list[date]:
    return [first - timedelta(days=offset) for offset in range(count, 0, -1)]


def figures_sql(days: Collection[date], columns: Collection[str]) -> str:
    """`columns`: the clicks table's, as the catalog has them."""
    is_click = is_click_sql(columns)
    matches = " OR ".join(
        f"(year = '{day:%Y}' AND month = '{day:%m}' AND day = '{day:%d}')" for day in sorted(days)
    )
    return (
        f"SELECT year, month, day, sum(CASE WHEN {is_click} THEN 1 ELSE 0 END) AS clicks,"
        f" sum(CASE WHEN is_bot AND {is_click} THEN 1 ELSE 0 END) AS bot_clicks"
        f" FROM clicks WHERE {matches} GROUP BY year, month, day"
    )


def earlier_figures(
    query: Query, days: Collection[date], columns: Collection[str]
) -> dict[date, DayFigures]:
    """The figures of those of `days` the lake holds; callers pass only cataloged days,
    and the clicks table's `columns`."""
    if not days:
        return {}
    rows = query(figures_sql(days, columns)).to_pylist()
    return {
        date(int(row["year"]), int(row["month"]), int(row["day"])): DayFigures(
            int(row["clicks"]), int(row["bot_clicks"] or 0)
        )
        for row in rows
    }

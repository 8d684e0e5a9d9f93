"""The journey tables' checks over the days a run wrote, read back through the engine.

The engine writes the tables (no row passes through the pipeline), so each check reads
what it compares: one query per table over the run's days, with only the columns the
check needs, and the sessions table as counts per day, not a row per session. The
partitions are checked as written, before they are published: each table is read by the
name `read_as` gives (the scratch table over its unpublished partitions, or the table
itself when it is not in the batch).
"""

from collections.abc import Collection, Iterator, Mapping
from datetime import date

from orchestration.assets.journey_tables import FUNNELS, SESSIONS
from orchestration.checks.journeys import EXIT, JOURNEY_CHECKS, run_journey_check
from orchestration.checks.outcome import CheckOutcome
from orchestration.resources.query_engine import QueryEngine

_COLUMNS = {
    FUNNELS: "event_date, funnel, step, sessions",
    "page_transitions": "event_date, to_page, transitions",
}
_SESSIONS_PER_DAY = (
    "SELECT event_date, is_bot, page_views > 0 AS viewed, count(*) AS sessions"
    " FROM {table} WHERE {days} GROUP BY 1, 2, 3"
)


def _days(days: Collection[date]) -> str:
    first, last = min(days), max(days)
    return f"year || '-' || month || '-' || day BETWEEN '{first}' AND '{last}'"


def journey_outcomes(
    written: Mapping[str, Mapping[date, str]], engine: QueryEngine, read_as: Mapping[str, str]
) -> Iterator[tuple[str, date, CheckOutcome]]:
    """(table, day, outcome) of each journey table's check, for each day it was written."""
    checked = [name for name in written if name in JOURNEY_CHECKS and written[name]]
    sessions = None
    compared = {day for name in checked if name != FUNNELS for day in written[name]}
    if compared:
        source = read_as.get(SESSIONS, SESSIONS)
        sessions = engine.query(_SESSIONS_PER_DAY.format(table=source, days=_days(compared)))
    for name in checked:
        columns = _COLUMNS.get(name, "event_date, sessions")
        where = _days(written[name])
        if name == "page_transitions":
            where += f" AND to_page = '{EXIT}'"
        rows = engine.query(f"SELECT {columns} FROM {read_as.get(name, name)} WHERE {where}")
        for day in sorted(written[name]):
            yield name, day, run_journey_check(name, rows, sessions, day)

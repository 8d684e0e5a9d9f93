"""The journey tables' checks over the days a run wrote, read back through the engine.

The engine writes the tables (no row passes through the pipeline), so each check reads
what it compares: one query per table over the run's days, with only the columns the
check needs, and the sessions table as counts per day, not a row per session.
"""

from collections.abc import Iterator, Mapping
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
    " FROM sessions WHERE {days} GROUP BY 1, 2, 3"
)


def _days(written: Mapping[date, str]) -> str:
    first, last = min(written), max(written)
    return f"year || '-' || month || '-' || day BETWEEN '{first}' AND '{last}'"


def journey_outcomes(
    written: Mapping[str, Mapping[date, str]], engine: QueryEngine
) -> Iterator[tuple[str, date, CheckOutcome]]:
    """(table, day, outcome) of each journey table's check, for each day it was written."""
    checked = [name for name in written if name in JOURNEY_CHECKS and written[name]]
    sessions = None
    if any(name != FUNNELS for name in checked) and written.get(SESSIONS):
        sessions = engine.query(_SESSIONS_PER_DAY.format(days=_days(written[SESSIONS])))
    for name in checked:
        columns = _COLUMNS.get(name, "event_date, sessions")
        where = _days(written[name])
        if name == "page_transitions":
            where += f" AND to_page = '{EXIT}'"
        rows = engine.query(f"SELECT {columns} FROM {name} WHERE {where}")
        for day in sorted(written[name]):
            yield name, day, run_journey_check(name, rows, sessions, day)

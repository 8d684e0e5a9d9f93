"""The journey tables' checks over the days a run wrote, read back through the engine.

The engine writes the tables (no row passes through the pipeline), so each check reads
what it compares: one query per table over the run's days, summed per day by the engine
(the funnels: their steps per day), and the sessions table as counts per day, not a
row per session. The partitions are checked as written, before they are published: each
table is read by the name `read_as` gives (the scratch table over its unpublished
partitions, or the table itself when it is not in the batch).
"""

from collections.abc import Collection, Iterator, Mapping
from datetime import date

from orchestration.assets.journey_tables import FUNNELS, SESSIONS
from orchestration.checks.journeys import EXIT, JOURNEY_CHECKS, run_journey_check
from orchestration.checks.outcome import CheckOutcome
from orchestration.resources.query_engine import QueryEngine

# What each check reads: the funnels' steps per day (a few rows a day), the others' sums
# per day, added up by the engine so that no row of the tables comes back.
_READ = {
    FUNNELS: "SELECT event_date, funnel, step, sessions FROM {table} WHERE {days}",
    "page_transitions": (
        "SELECT event_date, to_page, CAST(sum(transitions) AS BIGINT) AS transitions"
        f" FROM {{table}} WHERE {{days}} AND to_page = '{EXIT}' GROUP BY 1, 2"
    ),
}
_SESSIONS_SUM = (
    "SELECT event_date, CAST(sum(sessions) AS BIGINT) AS sessions"
    " FROM {table} WHERE {days} GROUP BY 1"
)
# The tables the checks read: each checked one, and the sessions table they compare with.
TABLES_READ = frozenset({SESSIONS, *JOURNEY_CHECKS})
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
        read = _READ.get(name, _SESSIONS_SUM)
        rows = engine.query(read.format(table=read_as.get(name, name), days=_days(written[name])))
        for day in sorted(written[name]):
            yield name, day, run_journey_check(name, rows, sessions, day)

"""The summary tables' SQL, written once in Athena's (Trino) dialect.

Each summary's file selects one range of days (`${first_day}`..`${last_day}`, ISO dates)
by the partition keys, so either engine reads only those days' files.
`typed_summary_sql` casts its columns to the table's types, and `month_sql` selects a
month of a daily table for its compacted copy: what the engines write as partitions.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path
from string import Template

SOURCE_DIALECT = "trino"
SESSION_EVENTS = "session_events"
# No funnel configured: one step row that no session can reach (there is no step 0 to
# follow), as VALUES cannot be empty.
NO_FUNNEL_STEPS = "(CAST(NULL AS VARCHAR), 0, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR))"
_DIRECTORY = Path(__file__).parent


@cache
def sql_template(directory: Path, name: str) -> Template:
    return Template((directory / f"{name}.sql").read_text())


def render_sql(template: Template, dialect: str, **values: str) -> str:
    """The template with its values, from Athena's dialect into the engine's."""
    return transpile(template.substitute(**values), dialect)


@lru_cache(maxsize=512)
def transpile(sql: str, dialect: str) -> str:
    """SQL written in Athena's dialect, in the engine's."""
    # sqlglot takes milliseconds a statement; the same one comes back for every reader.
    # Imported on first use: loading the code location (each Dagster process) needs no SQL.
    import sqlglot

    (statement,) = sqlglot.transpile(sql, read=SOURCE_DIALECT, write=dialect)
    return str(statement)


def _cast_columns(columns: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"CAST({name} AS {sql_type}) AS {name}" for name, sql_type in columns)


def _query(name: str, first_day: date, last_day: date, funnel_steps: str) -> str:
    """The named query over the days, in Athena's dialect.

    `${session_events}` in a query is the shared fragment `session_events.sql` (the
    events of the sessions that started in the range), so it is written once;
    `${funnel_steps}`, the configured funnels' steps as VALUES rows.
    """
    days = {
        "first_day": first_day.isoformat(),
        "last_day": last_day.isoformat(),
        "day_before": (first_day - timedelta(days=1)).isoformat(),
        "day_after": (last_day + timedelta(days=1)).isoformat(),
    }
    fragment = sql_template(_DIRECTORY, SESSION_EVENTS).substitute(days)
    return sql_template(_DIRECTORY, name).substitute(
        session_events=fragment, funnel_steps=funnel_steps, **days
    )


def summary_sql(
    name: str,
    first_day: date,
    last_day: date,
    dialect: str,
    funnel_steps: str = NO_FUNNEL_STEPS,
) -> str:
    """The named query over the days, in the dialect of the engine that runs it."""
    return transpile(_query(name, first_day, last_day, funnel_steps), dialect)


def typed_summary_sql(
    name: str,
    columns: Sequence[tuple[str, str]],
    first_day: date,
    last_day: date,
    dialect: str,
    funnel_steps: str = NO_FUNNEL_STEPS,
) -> str:
    """The named query over the days with its (name, Athena type) columns cast."""
    return render_sql(
        sql_template(_DIRECTORY, "summary_columns"),
        dialect,
        columns=_cast_columns(columns),
        query=_query(name, first_day, last_day, funnel_steps),
    )


def month_sql(table: str, columns: Sequence[str], month: date, dialect: str) -> str:
    """The columns of the daily table's rows in the month of `month`."""
    return render_sql(
        sql_template(_DIRECTORY, "compact_month"),
        dialect,
        columns=", ".join(columns),
        table=table,
        year=f"{month:%Y}",
        month=f"{month:%m}",
    )

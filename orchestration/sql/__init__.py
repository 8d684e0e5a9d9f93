"""The summary tables' SQL, written once in Athena's (Trino) dialect.

Each summary's file selects one range of days (`${first_day}`..`${last_day}`, ISO dates)
by the partition keys, so either engine reads only those days' files.
`typed_summary_sql` casts its columns to the table's types, and `month_sql` selects a
month of a daily table for its compacted copy: what the engines write as partitions.
"""

from collections.abc import Sequence
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from string import Template

SOURCE_DIALECT = "trino"
_DIRECTORY = Path(__file__).parent


@cache
def sql_template(directory: Path, name: str) -> Template:
    return Template((directory / f"{name}.sql").read_text())


def render_sql(template: Template, dialect: str, **values: str) -> str:
    """The template with its values, from Athena's dialect into the engine's."""
    return _transpile(template.substitute(**values), dialect)


@lru_cache(maxsize=512)
def _transpile(sql: str, dialect: str) -> str:
    # sqlglot takes milliseconds a statement; the same one comes back for every reader.
    # Imported on first use: loading the code location (each Dagster process) needs no SQL.
    import sqlglot

    (statement,) = sqlglot.transpile(sql, read=SOURCE_DIALECT, write=dialect)
    return str(statement)


def _cast_columns(columns: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"CAST({name} AS {sql_type}) AS {name}" for name, sql_type in columns)


def typed_summary_sql(
    name: str, columns: Sequence[tuple[str, str]], first_day: date, last_day: date, dialect: str
) -> str:
    """The named query over the days with its (name, Athena type) columns cast."""
    query = sql_template(_DIRECTORY, name).substitute(
        first_day=first_day.isoformat(), last_day=last_day.isoformat()
    )
    return render_sql(
        sql_template(_DIRECTORY, "summary_columns"),
        dialect,
        columns=_cast_columns(columns),
        query=query,
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

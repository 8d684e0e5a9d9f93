"""The summary tables' SQL, written once in Athena's (Trino) dialect.

Each file selects one range of days (`${first_day}`..`${last_day}`, ISO dates) by the
partition keys, so either engine reads only those days' files.
"""

from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from string import Template

import sqlglot

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
    (statement,) = sqlglot.transpile(sql, read=SOURCE_DIALECT, write=dialect)
    return str(statement)


def summary_sql(name: str, first_day: date, last_day: date, dialect: str) -> str:
    """The named query over the days, in the dialect of the engine that runs it."""
    return render_sql(
        sql_template(_DIRECTORY, name),
        dialect,
        first_day=first_day.isoformat(),
        last_day=last_day.isoformat(),
    )

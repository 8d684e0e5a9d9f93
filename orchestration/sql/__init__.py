"""The summary tables' SQL, written once in Athena's (Trino) dialect.

Each file selects one range of days (`${first_day}`..`${last_day}`, ISO dates) by the
partition keys, so either engine reads only those days' files.
"""

from datetime import date
from functools import cache
from pathlib import Path
from string import Template

import sqlglot

SOURCE_DIALECT = "trino"
_DIRECTORY = Path(__file__).parent


@cache
def _template(name: str) -> Template:
    return Template((_DIRECTORY / f"{name}.sql").read_text())


def summary_sql(name: str, first_day: date, last_day: date, dialect: str) -> str:
    """The named query over the days, in the dialect of the engine that runs it."""
    sql = _template(name).substitute(first_day=first_day.isoformat(), last_day=last_day.isoformat())
    (statement,) = sqlglot.transpile(sql, read=SOURCE_DIALECT, write=dialect)
    return str(statement)

"""The SQLite click table and its rows, derived from the contract's columns: none is listed here.

Timestamps are integer microseconds since the epoch (UTC), booleans 0/1, the day ISO
text: what the day reader (sqlite_arrow) reads back into the contract's Arrow types.
"""

import operator
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ingest_service.contract import CLICK_COLUMNS, COLUMNS, Click, Column

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    return (moment - EPOCH) // _MICROSECOND


# Integers, booleans and timestamps are INTEGER.
_COLUMN_TYPES: dict[type, str] = {float: "REAL", str: "TEXT", date: "TEXT"}
_TO_SQLITE: dict[type, Callable[[Any], object]] = {
    datetime: micros,
    bool: int,
    date: date.isoformat,
}


def _column(column: Column) -> str:
    if column.name == "id":
        return "id TEXT PRIMARY KEY"
    sqlite_type = _COLUMN_TYPES.get(column.kind, "INTEGER")
    return f"{column.name} {sqlite_type}{'' if column.nullable else ' NOT NULL'}"


_COLUMNS = ",\n    ".join(_column(column) for column in COLUMNS)
DDL = f"""
CREATE TABLE IF NOT EXISTS clicks (
    {_COLUMNS}
);
CREATE TABLE IF NOT EXISTS ready_probe (payload BLOB);
"""
# After the columns a store created before them gains (`add_missing_columns`).
INDEXES = """
CREATE INDEX IF NOT EXISTS clicks_by_day ON clicks (event_date);
-- The live view counts the last hour's human clicks, not page views: with is_bot and
-- the type in the index it never reads rows. It replaces one without the type, once.
DROP INDEX IF EXISTS clicks_by_arrival;
CREATE INDEX IF NOT EXISTS clicks_by_arrival_and_type ON clicks (received_at, is_bot, event_type);
"""
# Readiness writes as much as a large batch of clicks, and leaves nothing behind: it
# fails where a click's write fails for want of space.
PROBE_WRITE = (
    "INSERT INTO ready_probe VALUES (randomblob(65536))",
    "DELETE FROM ready_probe",
)
# Columns named: a store created before a column was added has it at the end.
INSERT = (
    f"INSERT OR IGNORE INTO clicks ({', '.join(CLICK_COLUMNS)})"
    f" VALUES ({', '.join('?' * len(CLICK_COLUMNS))})"
)

_values = operator.attrgetter(*CLICK_COLUMNS)
# Other kinds are stored as they are.
_CONVERTED = [
    (index, convert)
    for index, column in enumerate(COLUMNS)
    if (convert := _TO_SQLITE.get(column.kind)) is not None
]


def row(click: Click) -> tuple[object, ...]:
    values = list(_values(click))
    for index, convert in _CONVERTED:
        if values[index] is not None:
            values[index] = convert(values[index])
    return tuple(values)


def add_missing_columns(conn: sqlite3.Connection) -> None:
    """Columns added to the contract since the file was created, added to its table.

    Only nullable ones can be: the rows already stored have no value for them.
    """
    present = {name for (_, name, *_) in conn.execute("PRAGMA table_info(clicks)")}
    for column in COLUMNS:
        if column.name in present:
            continue
        if not column.nullable:
            raise sqlite3.OperationalError(
                f"clicks table lacks required column {column.name}: stored rows have no value"
            )
        conn.execute(f"ALTER TABLE clicks ADD COLUMN {_column(column)}")

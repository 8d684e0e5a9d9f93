"""The SQLite click table and its rows, derived from CLICK_SCHEMA: no column is listed here.

Timestamps are integer microseconds since the epoch (UTC), booleans 0/1, the day ISO
text: what the day reader (sqlite_arrow) casts back to the contract's Arrow types.
"""

import operator
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pyarrow as pa

from ingest_service.contract import CLICK_COLUMNS, CLICK_SCHEMA, Click

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    return (moment - EPOCH) // _MICROSECOND


def _column_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_floating(arrow_type):
        return "REAL"
    if pa.types.is_string(arrow_type) or pa.types.is_date(arrow_type):
        return "TEXT"
    return "INTEGER"  # integers, booleans, timestamps


def _column(field: pa.Field) -> str:
    if field.name == "id":
        return "id TEXT PRIMARY KEY"
    return f"{field.name} {_column_type(field.type)}{'' if field.nullable else ' NOT NULL'}"


def _to_sqlite(arrow_type: pa.DataType) -> Callable[[Any], object] | None:
    if pa.types.is_timestamp(arrow_type):
        return micros
    if pa.types.is_boolean(arrow_type):
        return int
    if pa.types.is_date(arrow_type):
        return date.isoformat
    return None  # stored as it is


_COLUMNS = ",\n    ".join(_column(field) for field in CLICK_SCHEMA)
DDL = f"""
CREATE TABLE IF NOT EXISTS clicks (
    {_COLUMNS}
);
CREATE INDEX IF NOT EXISTS clicks_by_day ON clicks (event_date);
-- The live view counts the last hour's clicks: with is_bot in the index it never reads rows.
CREATE INDEX IF NOT EXISTS clicks_by_arrival ON clicks (received_at, is_bot);
CREATE TABLE IF NOT EXISTS ready_probe (payload BLOB);
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
_CONVERTED = [
    (index, convert)
    for index, field in enumerate(CLICK_SCHEMA)
    if (convert := _to_sqlite(field.type)) is not None
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
    for field in CLICK_SCHEMA:
        if field.name in present:
            continue
        if not field.nullable:
            raise sqlite3.OperationalError(
                f"clicks table lacks required column {field.name}: stored rows have no value"
            )
        conn.execute(f"ALTER TABLE clicks ADD COLUMN {_column(field)}")

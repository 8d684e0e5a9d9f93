"""A day of the SQLite store read straight into Arrow record batches (ADBC).

The ADBC driver builds columns in C, about three times the rate of a Python cursor
whose rows are then converted. It types each column from the first batch it reads,
and a column that is NULL there is typed int64, which then fails on the first text
value: so each query starts with one sentinel row of the stored types, dropped here.

Reading is most of an export's time, so the day is read as rowid ranges by two
connections on two threads (the driver and pyarrow run without the GIL), and handed
on in rowid order, a few ranges ahead at most: memory stays bounded by the range size.
"""

import queue
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path

import adbc_driver_sqlite.dbapi
import pyarrow as pa

from ingest_service.contract import CLICK_COLUMNS, CLICK_SCHEMA

# One reader per core of the machine this is sized for; the consumer writes Parquet.
_READERS = 2
# The sentinel's id: never a stored one (ids are UUIDs).
_SENTINEL_ID = ""
# A reader waits this long for the consumer before checking whether it was abandoned.
_HANDOFF_WAIT_S = 0.5
# Connections opening at once may briefly find the database locked: wait, not fail.
_BUSY_TIMEOUT_MS = 30_000


def _sentinel_value(arrow_type: pa.DataType) -> str:
    if pa.types.is_string(arrow_type) or pa.types.is_date(arrow_type):
        return "''"
    return "0.0" if pa.types.is_floating(arrow_type) else "0"


_SENTINEL = ", ".join(f"{_sentinel_value(field.type)} AS {field.name}" for field in CLICK_SCHEMA)
# SQLite returns the parts of a UNION ALL in order: the sentinel first; checked below.
# `+event_date` keeps the day's index out of it: a rowid range is read from the table itself.
_SELECT_RANGE = (
    f"SELECT {_SENTINEL} UNION ALL SELECT * FROM (SELECT {', '.join(CLICK_COLUMNS)}"
    " FROM clicks WHERE +event_date = ? AND rowid >= ? AND rowid < ? ORDER BY rowid)"
)
_FIRST_ROWID = "SELECT rowid FROM clicks WHERE event_date = ? ORDER BY rowid LIMIT 1"
_LAST_ROWID = "SELECT rowid FROM clicks WHERE event_date = ? ORDER BY rowid DESC LIMIT 1"

_Range = tuple[int, int]


def read_day_batches(path: Path, day: date, batch_rows: int) -> Iterator[pa.RecordBatch]:
    """The day's clicks in rowid order as CLICK_SCHEMA batches of up to `batch_rows` rows."""
    span = _rowid_span(path, day)
    if span is None:
        return
    first, last = span
    # A range of `batch_rows` rowids holds at most that many rows of the day.
    ranges = [(low, min(low + batch_rows, last + 1)) for low in range(first, last + 1, batch_rows)]
    yield from _ReadersInOrder(path, day, ranges).batches()


def _rowid_span(path: Path, day: date) -> tuple[int, int] | None:
    with closing(sqlite3.connect(path, timeout=_BUSY_TIMEOUT_MS / 1000)) as conn:
        first = conn.execute(_FIRST_ROWID, (day.isoformat(),)).fetchone()
        last = conn.execute(_LAST_ROWID, (day.isoformat(),)).fetchone()
    if first is None or last is None:
        return None
    return int(first[0]), int(last[0])


class _ReadersInOrder:
    """Reader k reads ranges k, k + n, k + 2n, ...; the batches come out in range order."""

    def __init__(self, path: Path, day: date, ranges: list[_Range]) -> None:
        self._path, self._day, self._ranges = path, day, ranges
        self._count = min(_READERS, len(ranges))
        # One finished range waiting per reader, one being read: bounded memory.
        self._handoffs: list[queue.Queue[list[pa.RecordBatch] | BaseException]] = [
            queue.Queue(maxsize=1) for _ in range(self._count)
        ]
        self._abandoned = threading.Event()

    def batches(self) -> Iterator[pa.RecordBatch]:
        threads = [
            threading.Thread(target=self._read, args=(k,), daemon=True, name=f"day-reader-{k}")
            for k in range(self._count)
        ]
        for thread in threads:
            thread.start()
        try:
            for index in range(len(self._ranges)):
                received = self._handoffs[index % self._count].get()
                if isinstance(received, BaseException):
                    raise received
                yield from received
        finally:
            self._abandoned.set()
            for thread in threads:
                thread.join()

    def _read(self, reader: int) -> None:
        try:
            with adbc_driver_sqlite.dbapi.connect(_read_only_uri(self._path)) as conn:
                with conn.cursor() as cursor:
                    cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
                    cursor.fetchall()
                for low, high in self._ranges[reader :: self._count]:
                    if not self._hand_over(reader, _read_range(conn, self._day, low, high)):
                        return
        except BaseException as exc:  # re-raised in the consumer's thread
            self._hand_over(reader, exc)

    def _hand_over(self, reader: int, item: list[pa.RecordBatch] | BaseException) -> bool:
        while not self._abandoned.is_set():
            try:
                self._handoffs[reader].put(item, timeout=_HANDOFF_WAIT_S)
                return True
            except queue.Full:
                continue
        return False


def _read_range(
    conn: adbc_driver_sqlite.dbapi.Connection, day: date, low: int, high: int
) -> list[pa.RecordBatch]:
    with conn.cursor() as cursor:
        cursor.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(high - low + 1)})
        cursor.execute(_SELECT_RANGE, parameters=(day.isoformat(), low, high))
        table = cursor.fetch_arrow_table()
    if table.column(0)[0].as_py() != _SENTINEL_ID:
        raise RuntimeError("SQLite returned the day's rows before the sentinel")
    return [_to_contract(batch) for batch in table.slice(1).to_batches() if batch.num_rows]


def _to_contract(batch: pa.RecordBatch) -> pa.RecordBatch:
    # Stored as SQLite integers and text: timestamps in microseconds, booleans 0/1, ISO days.
    arrays = [
        column if column.type == field.type else column.cast(field.type)
        for column, field in zip(batch.columns, CLICK_SCHEMA, strict=True)
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=CLICK_SCHEMA)


def _read_only_uri(path: Path) -> str:
    # The driver has a SQLite library of its own, whose locks the writer's library cannot
    # see within one process: a read-write connection closing last there would checkpoint
    # and delete the WAL under the writer. A read-only one never does.
    return f"{path.resolve().as_uri()}?mode=ro"

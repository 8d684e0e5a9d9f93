"""A day of the SQLite store read straight into Arrow record batches.

The reading is done in C (`day_reader.c`, built by `make install` next to this module):
SQLite hands each row to an aggregate function that appends its values to Arrow buffers
of the contract's types, at about twice the rate of a generic Arrow driver for SQLite,
which fetches every value through SQLite's column API and learns the types from them.

Reading is most of an export's time, so the day is read as rowid ranges by two
connections on two threads (the reader runs without the GIL), and handed on in rowid
order, a few ranges ahead at most: memory stays bounded by the range size.
"""

import ctypes
import queue
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path

import pyarrow as pa

from ingest_service.contract import CLICK_COLUMNS, CLICK_SCHEMA

# One reader per core of the machine this is sized for; the consumer writes Parquet.
_READERS = 2
# A reader waits this long for the consumer before checking whether it was abandoned.
_HANDOFF_WAIT_S = 0.5
# Connections opening at once may briefly find the database locked: wait, not fail.
_BUSY_TIMEOUT_MS = 30_000
_LIBRARY = Path(__file__).with_name("_day_reader.so")
_ERROR_SIZE = 512  # ERROR_SIZE in day_reader.c

# The store keeps timestamps as integer microseconds, booleans 0/1 and the day as ISO
# text (sqlite_schema): the reader's kind of each contract type says which it reads.
_KINDS = {
    pa.string(): "s",
    pa.int32(): "i",
    pa.float64(): "f",
    pa.bool_(): "b",
    pa.timestamp("us", tz="UTC"): "t",
    pa.date32(): "d",
}
_CLICK_KINDS = "".join(_KINDS[field.type] for field in CLICK_SCHEMA).encode()
# `+event_date` keeps the day's index out of it: a rowid range is read from the table itself.
_SELECT_RANGE = (
    f"SELECT clicks_to_arrow(rowid, {', '.join(CLICK_COLUMNS)}) FROM clicks"
    " WHERE +event_date = ?1 AND rowid >= ?2 AND rowid < ?3"
).encode()
_FIRST_ROWID = "SELECT rowid FROM clicks WHERE event_date = ? ORDER BY rowid LIMIT 1"
_LAST_ROWID = "SELECT rowid FROM clicks WHERE event_date = ? ORDER BY rowid DESC LIMIT 1"

_Range = tuple[int, int]


class _ArrowArray(ctypes.Structure):
    """The Arrow C data interface's array: filled by the reader, taken over by pyarrow."""

    _fields_ = [
        ("length", ctypes.c_int64),
        ("null_count", ctypes.c_int64),
        ("offset", ctypes.c_int64),
        ("n_buffers", ctypes.c_int64),
        ("n_children", ctypes.c_int64),
        ("buffers", ctypes.c_void_p),
        ("children", ctypes.c_void_p),
        ("dictionary", ctypes.c_void_p),
        ("release", ctypes.c_void_p),
        ("private_data", ctypes.c_void_p),
    ]


def _load() -> ctypes.CDLL:
    if not _LIBRARY.exists():
        raise RuntimeError(f"{_LIBRARY.name} is not built: run `make install`")
    library = ctypes.CDLL(str(_LIBRARY))  # a CDLL call releases the GIL
    library.day_reader_open.restype = ctypes.c_void_p
    library.day_reader_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    library.day_reader_close.restype = None
    library.day_reader_close.argtypes = [ctypes.c_void_p]
    library.day_reader_error.restype = ctypes.c_char_p
    library.day_reader_error.argtypes = [ctypes.c_void_p]
    library.day_reader_read.restype = ctypes.c_int64
    library.day_reader_read.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_int64,
        ctypes.c_int64,
        ctypes.c_char_p,
        ctypes.c_int64,
        ctypes.POINTER(_ArrowArray),
    ]
    return library


_library = _load()


class _Connection:
    """One read-only connection of the C reader, for one thread."""

    def __init__(self, path: Path) -> None:
        error = ctypes.create_string_buffer(_ERROR_SIZE)
        # The writer's SQLite may be another library in this process (Python's own copy),
        # whose locks this one cannot see: a read-write connection closing last here
        # would checkpoint and delete the WAL under the writer. A read-only one never does.
        uri = f"{path.resolve().as_uri()}?mode=ro".encode()
        self._reader = _library.day_reader_open(uri, _BUSY_TIMEOUT_MS, error)
        if not self._reader:
            raise sqlite3.OperationalError(error.value.decode(errors="replace"))

    def __enter__(self) -> "_Connection":
        return self

    def __exit__(self, *_: object) -> None:
        _library.day_reader_close(self._reader)

    def read(self, day: date, low: int, high: int) -> pa.RecordBatch:
        array = _ArrowArray()
        rows = _library.day_reader_read(
            self._reader,
            _SELECT_RANGE,
            day.isoformat().encode(),
            low,
            high,
            _CLICK_KINDS,
            high - low,
            ctypes.byref(array),
        )
        if rows < 0:
            message = _library.day_reader_error(self._reader).decode(errors="replace")
            raise sqlite3.OperationalError(message)
        return pa.RecordBatch._import_from_c(ctypes.addressof(array), CLICK_SCHEMA)


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
            with _Connection(self._path) as conn:
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


def _read_range(conn: _Connection, day: date, low: int, high: int) -> list[pa.RecordBatch]:
    batch = conn.read(day, low, high)
    return [batch] if batch.num_rows else []

"""The embedded click store: one SQLite file in WAL mode, written with group commit.

Requests hand their clicks to one writer thread per process. The thread takes
everything that queued up while the previous commit was syncing and stores it in one
transaction, so concurrent requests share a commit and each still waits for its own
clicks to be durable. Several worker processes can share the file: a lock file beside
it queues their writer threads, and SQLite's write lock serialises their transactions.
"""

import fcntl
import queue
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pyarrow as pa

from ingest_service.contract import Click
from ingest_service.store.base import ClickStore, ErasedClicks, StoreUnavailable
from ingest_service.store.sqlite_arrow import read_day_batches
from ingest_service.store.sqlite_schema import (
    DDL,
    EPOCH,
    INSERT,
    add_missing_columns,
    micros,
    row,
)

# A NULL id matches nothing: `anonymous_id = NULL` is never true.
_ERASE = "DELETE FROM clicks WHERE anonymous_id = ? OR session_id = ? RETURNING event_date"
_MICROS_PER_MINUTE = 60_000_000
_PER_MINUTE = (
    f"SELECT received_at / {_MICROS_PER_MINUTE} AS minute, count(*) FROM clicks"
    " WHERE received_at >= ? AND is_bot = 0 GROUP BY minute ORDER BY minute"
)


@dataclass
class _PendingWrite:
    rows: list[tuple[object, ...]]
    future: "Future[list[bool]]" = field(default_factory=Future)


class SQLiteClickStore(ClickStore):
    def __init__(self, path: Path, *, busy_timeout_s: float = 30.0) -> None:
        self.path = path
        self._busy_timeout_s = busy_timeout_s
        self._queue: queue.SimpleQueue[_PendingWrite | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._writer_lock = threading.Lock()

    def setup(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(DDL)
            add_missing_columns(conn)

    def submit(self, clicks: Sequence[Click]) -> "Future[list[bool]]":
        pending = _PendingWrite([row(click) for click in clicks])
        self._ensure_writer()
        self._queue.put(pending)
        return pending.future

    def ping(self) -> None:
        try:
            with closing(self._connect()) as conn:
                conn.execute("SELECT 1 FROM clicks LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"SQLite store {self.path}: {exc}") from exc

    def count_day(self, day: date) -> int:
        with closing(self._connect()) as conn:
            (count,) = conn.execute(
                "SELECT count(*) FROM clicks WHERE event_date = ?", (day.isoformat(),)
            ).fetchone()
        return int(count)

    def read_day(self, day: date, batch_rows: int = 65_536) -> Iterator[pa.RecordBatch]:
        return read_day_batches(self.path, day, batch_rows)

    def clicks_per_minute(self, since: datetime) -> list[tuple[datetime, int]]:
        with closing(self._connect()) as conn:
            rows = conn.execute(_PER_MINUTE, (micros(since),)).fetchall()
        return [
            (EPOCH + timedelta(microseconds=minute * _MICROS_PER_MINUTE), int(count))
            for minute, count in rows
        ]

    def erase(
        self, *, anonymous_id: str | None = None, session_id: str | None = None
    ) -> ErasedClicks:
        # A connection of its own: SQLite's write lock orders it with the group commits.
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                days = conn.execute(_ERASE, (anonymous_id, session_id)).fetchall()
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK")
                raise StoreUnavailable(f"SQLite store {self.path}: {exc}") from exc
        return ErasedClicks(
            count=len(days), days=tuple(sorted({date.fromisoformat(day) for (day,) in days}))
        )

    def close(self) -> None:
        with self._writer_lock:
            if self._writer is not None:
                self._queue.put(None)
                self._writer.join()
                self._writer = None

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: transactions are opened explicitly, BEGIN IMMEDIATE to write.
        conn = sqlite3.connect(
            self.path, timeout=self._busy_timeout_s, isolation_level=None, check_same_thread=False
        )
        # FULL: a commit is on disk before any request is answered, even across power loss.
        conn.execute("PRAGMA synchronous=FULL")
        # Checkpoint the WAL every ~40 MB instead of 4 MB, and read pages through mmap:
        # measured here, inserts cost 40% less (the id index is written at random places).
        conn.execute("PRAGMA wal_autocheckpoint=10000")
        conn.execute("PRAGMA mmap_size=268435456")
        return conn

    def _ensure_writer(self) -> None:
        if self._writer is None:
            with self._writer_lock:
                if self._writer is None:
                    self._writer = threading.Thread(
                        target=self._write_loop, name="sqlite-group-commit", daemon=True
                    )
                    self._writer.start()

    def _write_loop(self) -> None:
        lock_path = self.path.with_name(self.path.name + ".write-lock")
        with closing(self._connect()) as conn, lock_path.open("a") as write_lock:
            stopping = False
            while not stopping:
                first = self._queue.get()
                if first is None:
                    return
                group = [first]
                while True:
                    try:
                        pending = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if pending is None:
                        stopping = True
                        break
                    group.append(pending)
                # Writers of several processes queue on this lock in the kernel and each
                # wakes as soon as the previous commit is done; SQLite's own busy handler
                # polls with sleeps of up to 100 ms, which starved a worker under load.
                fcntl.flock(write_lock, fcntl.LOCK_EX)
                try:
                    _commit_group(conn, group)
                finally:
                    fcntl.flock(write_lock, fcntl.LOCK_UN)


def _commit_group(conn: sqlite3.Connection, group: list[_PendingWrite]) -> None:
    rows = [values for pending in group for values in pending.rows]
    try:
        conn.execute("BEGIN IMMEDIATE")
        before = conn.total_changes
        conn.executemany(INSERT, rows)
        if conn.total_changes - before == len(rows):
            inserted = [True] * len(rows)
        else:
            # Some ids were there already: redo row by row to tell which.
            conn.execute("ROLLBACK")
            conn.execute("BEGIN IMMEDIATE")
            inserted = [conn.execute(INSERT, values).rowcount == 1 for values in rows]
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        error = StoreUnavailable(f"SQLite store: {exc}")
        for pending in group:
            pending.future.set_exception(error)
        return
    offset = 0
    for pending in group:
        pending.future.set_result(inserted[offset : offset + len(pending.rows)])
        offset += len(pending.rows)

"""The embedded click store: one SQLite file in WAL mode, written with group commit
(sqlite_writer) and read by day into Arrow (sqlite_arrow).

Readiness is more than a file that opens: while writes fail (a full disk, a file that
cannot be written, a writer that cannot start), `ping` sends a write of its own through
the writer and fails with it, so `/ready` answers 503 until writing works again.
"""

import sqlite3
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ingest_service.contract import Click
from ingest_service.store.base import ClickStore, ErasedClicks, StoreUnavailable
from ingest_service.store.sqlite_erase import erase_visitor
from ingest_service.store.sqlite_schema import (
    DDL,
    EPOCH,
    INDEXES,
    add_missing_columns,
    micros,
    row,
)
from ingest_service.store.sqlite_writer import GroupCommitWriter

if TYPE_CHECKING:
    import pyarrow as pa

_MICROS_PER_MINUTE = 60_000_000
_PER_MINUTE = (
    f"SELECT received_at / {_MICROS_PER_MINUTE} AS minute, count(*) FROM clicks"
    " WHERE received_at >= ? AND is_bot = 0 AND coalesce(event_type, 'click') = 'click'"
    " GROUP BY minute ORDER BY minute"
)


class SQLiteClickStore(ClickStore):
    def __init__(self, path: Path, *, busy_timeout_s: float = 30.0) -> None:
        self.path = path
        self._busy_timeout_s = busy_timeout_s
        self._writer = GroupCommitWriter(self._connect, path.with_name(path.name + ".write-lock"))

    def setup(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(DDL)
            add_missing_columns(conn)
            conn.executescript(INDEXES)

    def submit(self, clicks: Sequence[Click]) -> "Future[list[bool]]":
        return self._writer.submit([row(click) for click in clicks])

    def ping(self) -> None:
        try:
            with closing(self._connect()) as conn:
                conn.execute("SELECT 1 FROM clicks LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"SQLite store {self.path}: {exc}") from exc
        if self._writer.failure is not None:
            try:
                self._writer.probe().result(timeout=self._busy_timeout_s)
            except TimeoutError:
                raise StoreUnavailable(f"SQLite store {self.path}: writes time out") from None

    def count_day(self, day: date) -> int:
        with closing(self._connect()) as conn:
            (count,) = conn.execute(
                "SELECT count(*) FROM clicks WHERE event_date = ?", (day.isoformat(),)
            ).fetchone()
        return int(count)

    def read_day(self, day: date, batch_rows: int = 65_536) -> Iterator["pa.RecordBatch"]:
        # Only the pipeline reads days: the day reader (which loads pyarrow, and its C
        # library) stays out of the intake's start-up.
        from ingest_service.store.sqlite_arrow import read_day_batches

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
        try:
            with closing(self._connect()) as conn:
                return erase_visitor(conn, self.path, anonymous_id, session_id)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"SQLite store {self.path}: {exc}") from exc

    def close(self) -> None:
        self._writer.close()

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

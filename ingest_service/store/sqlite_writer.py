"""Group commit into the SQLite store: one writer thread per process, restarted when it fails.

Requests hand their rows to the writer thread. It takes everything that queued up while
the previous commit was syncing and stores it in one transaction, so concurrent requests
share a commit and each still waits for its own rows to be durable. Several worker
processes can share the file: a lock file beside it queues their writer threads, and
SQLite's write lock serialises their transactions.

Failing loudly: a commit that fails answers its requests at once with StoreUnavailable
(503) and drops the connection, so the next group opens a fresh one. A writer that
cannot open the file, or dies of anything else, fails every request waiting for it at
once, and the next request starts a new writer. The last failure is kept until a commit
succeeds, so readiness can say that writes fail.
"""

import fcntl
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ingest_service.store.base import StoreUnavailable
from ingest_service.store.sqlite_schema import INSERT, PROBE_WRITE

Row = tuple[object, ...]


@dataclass
class _PendingWrite:
    rows: list[Row]
    # A write of no click that still goes through the writer: see `probe`.
    probe: bool = False
    future: "Future[list[bool]]" = field(default_factory=Future)


class GroupCommitWriter:
    def __init__(self, connect: Callable[[], sqlite3.Connection], lock_path: Path) -> None:
        self._connect = connect
        self._lock_path = lock_path
        self._queue: queue.SimpleQueue[_PendingWrite | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        # Held to start a writer, to queue for it, and by a dying writer to fail its queue:
        # no request can slip in between a writer's death and its queue being failed.
        self._lock = threading.Lock()
        self.failure: StoreUnavailable | None = None

    def submit(self, rows: list[Row]) -> "Future[list[bool]]":
        return self._enqueue(_PendingWrite(rows))

    def probe(self) -> "Future[list[bool]]":
        """A write through the same thread, lock and connection as the clicks', of a
        scratch row that is deleted in the same commit: succeeds when a click would."""
        return self._enqueue(_PendingWrite([], probe=True))

    def _enqueue(self, pending: _PendingWrite) -> "Future[list[bool]]":
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="sqlite-group-commit", daemon=True
                )
                self._thread.start()
            self._queue.put(pending)
        return pending.future

    def close(self) -> None:
        with self._lock:
            thread = self._thread
            if thread is not None:
                self._queue.put(None)
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        group: list[_PendingWrite] = []
        error: StoreUnavailable | None = None
        try:
            with self._lock_path.open("a") as write_lock:
                conn: sqlite3.Connection | None = None
                try:
                    while group := self._next_group():
                        if conn is None:
                            conn = self._connect()
                        if not self._commit(conn, write_lock, group):
                            conn.close()
                            conn = None
                        if group[-1] is _STOP:
                            return
                        group = []
                finally:
                    if conn is not None:
                        conn.close()
        except BaseException as exc:  # answered below: no request may wait for a dead writer
            error = StoreUnavailable(f"SQLite store writer failed: {exc}")
            self.failure = error
            for pending in group:
                if pending is not _STOP and not pending.future.done():
                    pending.future.set_exception(error)
        finally:
            self._retire(error)

    def _retire(self, error: StoreUnavailable | None) -> None:
        with self._lock:
            self._thread = None
            while True:
                try:
                    pending = self._queue.get_nowait()
                except queue.Empty:
                    return
                if pending is not None:
                    pending.future.set_exception(error or StoreUnavailable("SQLite store closed"))

    def _next_group(self) -> list[_PendingWrite]:
        """What queued up since the last commit; ends with _STOP when the store closes."""
        first = self._queue.get()
        if first is None:
            return []
        group = [first]
        while True:
            try:
                pending = self._queue.get_nowait()
            except queue.Empty:
                return group
            if pending is None:
                return [*group, _STOP]
            group.append(pending)

    def _commit(
        self, conn: sqlite3.Connection, write_lock: TextIO, group: list[_PendingWrite]
    ) -> bool:
        writes = [pending for pending in group if pending is not _STOP]
        # Writers of several processes queue on this lock in the kernel and each wakes as
        # soon as the previous commit is done; SQLite's own busy handler polls with sleeps
        # of up to 100 ms, which starved a worker under load.
        fcntl.flock(write_lock, fcntl.LOCK_EX)
        try:
            rows = [row for pending in writes for row in pending.rows]
            inserted = _insert(conn, rows, probe=any(pending.probe for pending in writes))
        except sqlite3.Error as exc:
            self.failure = StoreUnavailable(f"SQLite store: {exc}")
            for pending in writes:
                pending.future.set_exception(self.failure)
            return False
        finally:
            fcntl.flock(write_lock, fcntl.LOCK_UN)
        self.failure = None
        offset = 0
        for pending in writes:
            pending.future.set_result(inserted[offset : offset + len(pending.rows)])
            offset += len(pending.rows)
        return True


# Marks the end of a group after which the store closes.
_STOP = _PendingWrite([])


def _insert(conn: sqlite3.Connection, rows: list[Row], *, probe: bool) -> list[bool]:
    """Per row, whether it was new; rolled back and raised on any error."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        if probe:
            for statement in PROBE_WRITE:
                conn.execute(statement)
        before = conn.total_changes
        conn.executemany(INSERT, rows)
        if conn.total_changes - before == len(rows):
            inserted = [True] * len(rows)
        else:
            # Some ids were there already: redo row by row to tell which.
            conn.execute("ROLLBACK")
            conn.execute("BEGIN IMMEDIATE")
            inserted = [conn.execute(INSERT, row).rowcount == 1 for row in rows]
        conn.execute("COMMIT")
    except sqlite3.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return inserted

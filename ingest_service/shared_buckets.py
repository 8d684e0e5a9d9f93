"""Token buckets shared by the worker processes of one host, in a small SQLite file.

Each worker of `clickstream serve --workers N` has its own memory: buckets kept there
let a client through N times over. Here a bucket is a row, read and written in one
short write transaction, so whichever worker answers, it sees what the others took.
The file is disposable state: writes are not synced to disk, and a bucket lost in a
crash is only a full one. A bucket idle long enough to be full again is deleted.

Processes take turns through an flock on a file beside it, not through SQLite's own
locking: SQLite makes a waiting process sleep and poll, and two busy workers starved
each other past any timeout; a kernel lock wakes the next one as the first lets go.
"""

import contextlib
import fcntl
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS buckets"
    " (key TEXT PRIMARY KEY, tokens REAL NOT NULL, updated REAL NOT NULL) WITHOUT ROWID"
)
# Idle buckets are swept at most this often, by whichever worker comes first.
_SWEEP_EVERY_S = 60.0


@dataclass(frozen=True)
class Taken:
    """How many tokens were taken, and for those refused, when they would all be there."""

    count: int
    retry_after_s: int
    left: float


class SharedBuckets:
    """Buckets of `capacity` tokens, each refilled at `per_second`, keyed by client."""

    def __init__(
        self,
        path: Path,
        *,
        capacity: float,
        per_second: float,
        busy_timeout_s: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.capacity = capacity
        self._per_second = per_second
        self._clock = clock
        path.parent.mkdir(parents=True, exist_ok=True)
        # One connection per process; the thread lock serializes the threads sharing it
        # (an flock is held per open file, so it does not tell them apart).
        self._db = sqlite3.connect(
            path, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
        )
        self._turns = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        self._lock = threading.Lock()
        with self._turn():
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=OFF")
            self._db.execute(_SCHEMA)
        self._next_sweep = 0.0

    def take(self, key: str, wanted: int) -> Taken:
        """Takes up to `wanted` whole tokens (a negative number gives them back)."""
        with self._turn():
            now = self._clock()
            self._db.execute("BEGIN IMMEDIATE")
            try:
                tokens = self._tokens(key, now)
                count = min(wanted, math.floor(tokens))
                tokens = min(self.capacity, tokens - count)
                self._db.execute(
                    "INSERT INTO buckets VALUES (?, ?, ?) ON CONFLICT (key)"
                    " DO UPDATE SET tokens = excluded.tokens, updated = excluded.updated",
                    (key, tokens, now),
                )
                if now >= self._next_sweep:
                    self._sweep(now)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return Taken(count=count, retry_after_s=self._wait_s(wanted - count, tokens), left=tokens)

    def close(self) -> None:
        with self._lock:
            self._db.close()
            os.close(self._turns)

    @contextlib.contextmanager
    def _turn(self) -> Iterator[None]:
        with self._lock:
            fcntl.flock(self._turns, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._turns, fcntl.LOCK_UN)

    def _tokens(self, key: str, now: float) -> float:
        row = self._db.execute("SELECT tokens, updated FROM buckets WHERE key = ?", (key,))
        found = row.fetchone()
        if found is None:
            return self.capacity
        tokens, updated = found
        # max(): a clock set back must not take tokens away.
        refilled = float(tokens) + max(0.0, now - float(updated)) * self._per_second
        return min(self.capacity, refilled)

    def _sweep(self, now: float) -> None:
        full_after_s = self.capacity / self._per_second
        self._db.execute("DELETE FROM buckets WHERE updated < ?", (now - full_after_s,))
        self._next_sweep = now + _SWEEP_EVERY_S

    def _wait_s(self, missing: int, tokens: float) -> int:
        if missing <= 0:
            return 0
        # Until all that was refused fits, or a full bucket if it never would at once.
        needed = min(float(missing), self.capacity)
        return max(1, math.ceil((needed - tokens) / self._per_second))

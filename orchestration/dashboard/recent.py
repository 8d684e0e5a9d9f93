"""A short-lived memory of query results, so a dashboard viewed by many costs one query.

The summary tables change once a night, when the pipeline rewrites a day; a result kept
for a minute is at most a minute behind that run. An erase must not wait that minute:
every result is dropped as soon as the lake's change mark moves (`Lake.change_mark`),
so no figure of an erased visitor is served after the erase ends. The live view never
goes through it.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

Rows = list[dict[str, Any]]


class RecentResults:
    def __init__(
        self,
        ttl_s: float,
        change_mark: Callable[[], str],
        max_entries: int = 512,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl_s = ttl_s
        self._change_mark = change_mark
        self._mark = ""
        self._max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, Rows]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sql: str, run: Callable[[str], Rows]) -> Rows:
        now, mark = self._clock(), self._change_mark()
        with self._lock:
            if mark != self._mark:
                self._entries.clear()
                self._mark = mark
            entry = self._entries.get(sql)
            if entry is not None and entry[0] > now:
                return entry[1]
        rows = run(sql)
        with self._lock:
            if self._mark != mark:
                return rows  # the lake changed while this ran: the rows may predate it
            self._entries[sql] = (now + self._ttl_s, rows)
            self._entries.move_to_end(sql)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return rows

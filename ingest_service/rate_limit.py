"""Per-client rate limit of the intake: a token bucket per client address, per host.

The buckets are shared by the host's worker processes (`shared_buckets.py`), so the
limit holds whichever worker answers. A batch is admitted as far as its client's bucket
allows, item by item in order; the rest of it waits. The address is the only personal
data the limiter sees, and a bucket is forgotten once idle long enough to be full again.
"""

import logging
import sqlite3
from collections.abc import Mapping
from pathlib import Path

from ingest_service.client_address import client_address
from ingest_service.shared_buckets import SharedBuckets, Taken

_SECONDS_PER_MINUTE = 60.0
_log = logging.getLogger(__name__)


class RateLimited(Exception):
    """The client sent more clicks than its allowance; it may retry after `retry_after_s`."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"too many clicks; retry after {retry_after_s} s")
        self.retry_after_s = retry_after_s


class ClientAdmission:
    """Admits a request's clicks against its client's allowance; admits all when off.

    `clicks_per_minute` per client, with bursts of up to a minute's allowance.
    """

    def __init__(self, clicks_per_minute: int, *, trusted_proxies: int, state_path: Path) -> None:
        self._buckets = (
            SharedBuckets(
                state_path,
                capacity=float(clicks_per_minute),
                per_second=clicks_per_minute / _SECONDS_PER_MINUTE,
            )
            if clicks_per_minute
            else None
        )
        self._trusted_proxies = trusted_proxies

    def admit(self, peer: str | None, headers: Mapping[str, str], clicks: int) -> Taken:
        """How many of the first `clicks` may be stored now; RateLimited when none may."""
        if self._buckets is None:
            return Taken(count=clicks, retry_after_s=0, left=float(clicks))
        client = client_address(peer, headers, self._trusted_proxies)
        try:
            taken = self._buckets.take(client, clicks)
        except sqlite3.Error as exc:
            # The limit protects the store; losing clicks to its own failure would not.
            _log.warning("rate limit not applied, its buckets failed: %s", exc)
            return Taken(count=clicks, retry_after_s=0, left=0.0)
        if taken.count == 0 and clicks > 0:
            raise RateLimited(taken.retry_after_s)
        return taken

    def close(self) -> None:
        if self._buckets is not None:
            self._buckets.close()

"""Per-client rate limit of the intake: a token bucket per client address, in memory only.

The address is the only personal data the limiter sees; it is never stored, and a bucket
is forgotten once it has been idle long enough to be full again.
"""

import math
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ingest_service.client_address import client_address

_SECONDS_PER_MINUTE = 60.0


class RateLimited(Exception):
    """The client sent more clicks than its allowance; it may retry after `retry_after_s`."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"too many clicks; retry after {retry_after_s} s")
        self.retry_after_s = retry_after_s


@dataclass
class _Bucket:
    tokens: float
    updated: float


class ClickRateLimiter:
    """`clicks_per_minute` clicks per client, with bursts of up to a minute's allowance."""

    def __init__(
        self, clicks_per_minute: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.capacity = float(clicks_per_minute)
        self._refill_per_s = clicks_per_minute / _SECONDS_PER_MINUTE
        # An idle bucket is full again after this long: the same as having none.
        self._idle_s = _SECONDS_PER_MINUTE
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def admit(self, client: str, clicks: int = 1) -> None:
        """Charges `clicks` to the client, or raises RateLimited without charging."""
        now = self._clock()
        self._forget_idle(now)
        bucket = self._buckets.pop(client, None) or _Bucket(self.capacity, now)
        bucket.tokens = min(
            self.capacity, bucket.tokens + (now - bucket.updated) * self._refill_per_s
        )
        bucket.updated = now
        self._buckets[client] = bucket  # most recently used last, for _forget_idle
        # A batch larger than the whole allowance passes only on a full bucket, then owes
        # the rest: it still counts every item.
        needed = min(float(clicks), self.capacity)
        if bucket.tokens < needed:
            raise RateLimited(math.ceil((needed - bucket.tokens) / self._refill_per_s))
        bucket.tokens -= clicks

    def _forget_idle(self, now: float) -> None:
        while self._buckets:
            oldest = next(iter(self._buckets.values()))
            if now - oldest.updated < self._idle_s:
                return
            self._buckets.popitem(last=False)


class ClientAdmission:
    """Admits a request's clicks against its client's allowance; admits all when off."""

    def __init__(self, clicks_per_minute: int, *, trusted_proxies: int) -> None:
        self._limiter = ClickRateLimiter(clicks_per_minute) if clicks_per_minute else None
        self._trusted_proxies = trusted_proxies

    def admit(self, peer: str | None, headers: Mapping[str, str], clicks: int) -> None:
        if self._limiter is not None:
            client = client_address(peer, headers, self._trusted_proxies)
            self._limiter.admit(client, clicks)

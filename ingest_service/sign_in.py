"""Guessing a read token at the sign-in form: a few tries per client, then a lockout.

Each try takes a token from the client's bucket, shared by the host's workers
(`shared_buckets.py`); a right guess gives it back, so only wrong ones count. An empty
bucket is a lockout: every try is refused with 429, the right token included (else the
answer would still tell a right guess from a wrong one), until the bucket refills.
Failed tries and lockouts are logged with the client's address.
"""

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litestar.connection import ASGIConnection
from litestar.plugins.problem_details import ProblemDetailsException

from ingest_service.client_address import client_address
from ingest_service.shared_buckets import SharedBuckets

# Ten wrong tries in a row, then one more a minute: 1,440 a day, against tokens of at
# least 16 characters.
TRIES = 10
ONE_TRY_BACK_EVERY_S = 60.0
_log = logging.getLogger(__name__)


class LockedOut(ProblemDetailsException):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(
            status_code=429,
            type_="/problems/sign-in-locked",
            title="Too many sign-in attempts",
            detail=f"too many wrong tokens from this address; try again in {retry_after_s} s",
            headers={"Retry-After": str(retry_after_s)},
        )


@dataclass(frozen=True)
class Attempt:
    client: str
    tries_left: float


class SignInThrottle:
    def __init__(self, state_path: Path, *, trusted_proxies: int) -> None:
        self._buckets = SharedBuckets(
            state_path, capacity=TRIES, per_second=1 / ONE_TRY_BACK_EVERY_S
        )
        self._trusted_proxies = trusted_proxies

    def attempt(self, connection: ASGIConnection[Any, Any, Any, Any]) -> Attempt:
        """Takes one try from the client's allowance; raises LockedOut when none is left."""
        peer = connection.client.host if connection.client else None
        client = client_address(peer, connection.headers, self._trusted_proxies)
        taken = self._buckets.take(client, 1)
        if taken.count == 0:
            raise LockedOut(taken.retry_after_s)
        return Attempt(client, taken.left)

    def succeeded(self, attempt: Attempt) -> None:
        self._buckets.take(attempt.client, -1)

    def failed(self, attempt: Attempt) -> None:
        if attempt.tries_left >= 1:
            _log.info("sign-in with a wrong token from %r", attempt.client)
            return
        lockout_s = round((1 - attempt.tries_left) * ONE_TRY_BACK_EVERY_S)
        _log.warning(
            "sign-in locked for %r: too many wrong tokens, the next try in %d s",
            attempt.client,
            lockout_s,
        )

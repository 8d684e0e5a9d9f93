"""Which errors of the outside systems are worth a retry, and the policy that retries them.

Throttling, a 5xx, a dropped connection or a busy SQLite file pass with time; a bad
request, a missing table or a bug do not, and retrying them only delays the alert.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "SlowDown",
        "RequestThrottled",
        "RequestTimeout",
        "InternalError",
        "InternalServerError",
        "ServiceUnavailable",
    }
)

# Backoff with jitter: 5 s, 10 s, 20 s, so a throttled service gets room to recover.
TRANSIENT_RETRIES = dg.RetryPolicy(
    max_retries=3, delay=5, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)


def is_transient(error: BaseException) -> bool:
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
        return details.get("Code") in THROTTLING_CODES or status >= 500
    if isinstance(error, sqlite3.OperationalError):
        return any(word in str(error) for word in ("locked", "busy"))
    return isinstance(error, ConnectionError | HTTPClientError | TimeoutError)


@contextmanager
def retried_only_when_transient() -> Iterator[None]:
    """Lets a transient error through to the step's retry policy; any other error fails
    the step at once, without retries."""
    try:
        yield
    except dg.Failure:
        raise
    except Exception as error:
        if is_transient(error):
            raise
        raise dg.Failure(
            description=f"{type(error).__name__}: {error}", allow_retries=False
        ) from error

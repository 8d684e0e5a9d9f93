"""Retrying DynamoDB calls: exponential backoff with full jitter, a bounded number of tries.

The store turns botocore's own retries off, so the bound here is the real one and a
throttled call is not retried by two layers at once.
"""

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from ingest_service.store.base import StoreUnavailable

Response = dict[str, Any]

RETRYABLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
    }
)
# Dropped connections and timeouts: safe to resend, every call the store makes is idempotent.
_TRANSIENT = (BotoConnectionError, HTTPClientError)


@dataclass(frozen=True)
class Backoff:
    max_attempts: int = 8
    base_s: float = 0.05
    cap_s: float = 5.0

    def attempts(self) -> Iterator[int]:
        """Yields each attempt number, sleeping with full jitter before every retry."""
        for attempt in range(self.max_attempts):
            if attempt:
                time.sleep(random.uniform(0, min(self.cap_s, self.base_s * 2**attempt)))
            yield attempt


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def attempt(operation: Callable[..., Response], what: str, **params: Any) -> Response | Exception:
    """The response, or the error if worth retrying; any other error is StoreUnavailable."""
    try:
        return operation(**params)
    except ClientError as exc:
        if error_code(exc) in RETRYABLE_CODES:
            retryable: Exception = exc
            return retryable
        raise StoreUnavailable(f"{what}: {exc}") from exc
    except _TRANSIENT as exc:
        transient: Exception = exc
        return transient
    except BotoCoreError as exc:
        raise StoreUnavailable(f"{what}: {exc}") from exc


def call_with_retry(
    operation: Callable[..., Response], what: str, backoff: Backoff, **params: Any
) -> Response:
    last_error: Exception | None = None
    for _ in backoff.attempts():
        response = attempt(operation, what, **params)
        if not isinstance(response, Exception):
            return response
        last_error = response
    raise StoreUnavailable(f"{what}: gave up after {backoff.max_attempts} attempts: {last_error}")

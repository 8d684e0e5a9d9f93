"""uvicorn's httptools protocol with the bounds it lacks: head size, time, connections.

Measured on uvicorn 0.54 (bench/README.md, "Slow and idle clients"): a connection that
never finishes its request head grows memory without limit and, as httptools joins the
pieces of an unfinished header, takes the event loop's time with it; a connection that
never sends a request is never closed. Here each connection gets one deadline at a time:
`idle_timeout_s` while it waits for a request (new, or kept alive after a response), then
`request_timeout_s` from a request's first byte until its body is whole. A head past
`MAX_HEAD_BYTES` is answered 431, and a connection past `max_connections` is answered 503
at once; both close the connection. Refusals at the cap are logged, at most every
`CAP_LOG_INTERVAL_S`, with their count.
"""

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

# Larger than any browser's request head; nginx allows 32 KiB by default, an ALB 64 KiB.
MAX_HEAD_BYTES = 64 * 1024
CAP_LOG_INTERVAL_S = 10.0

_log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class ConnectionLimits:
    """Per worker process: each uvicorn worker accepts connections on its own."""

    max_connections: int
    idle_timeout_s: float
    request_timeout_s: float


class LimitedConfig(uvicorn.Config):
    """uvicorn's configuration plus the limits; it crosses to worker processes pickled."""

    def __init__(self, app: Any, *, limits: ConnectionLimits, **options: Any) -> None:
        super().__init__(app, timeout_keep_alive=int(limits.idle_timeout_s), **options)
        self.limits = limits
        self.cap_log = _CapLog()


class _CapLog:
    """Counts connections refused at the cap; logs the first and then a count now and then."""

    def __init__(self) -> None:
        self.refused = 0
        self.logged_at = float("-inf")

    def refusal(self, limit: int) -> None:
        self.refused += 1
        now = time.monotonic()
        if now - self.logged_at >= CAP_LOG_INTERVAL_S:
            _log.warning(
                "connection cap of %d reached (CLICKSTREAM_MAX_CONNECTIONS): new connections"
                " get 503; %d refused since the last report",
                limit,
                self.refused,
            )
            self.refused = 0
            self.logged_at = now


class LimitedHttpProtocol(HttpToolsProtocol):
    def __init__(
        self,
        config: uvicorn.Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        if not isinstance(config, LimitedConfig):
            raise TypeError("LimitedHttpProtocol needs a LimitedConfig")
        self._limits = config.limits
        self._cap_log = config.cap_log
        self._deadline: asyncio.TimerHandle | None = None
        self._in_head = False
        self._in_message = False
        self._head_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self._limits.max_connections:
            self._cap_log.refusal(self._limits.max_connections)
            self._refuse(HTTPStatus.SERVICE_UNAVAILABLE, "too many open connections; retry")
            return
        self._set_deadline(self._limits.idle_timeout_s, self._idle_expired)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        head_continues = self._in_head
        super().data_received(data)
        if not self._in_head or self.transport.is_closing():
            return
        # A head that began in this read counts the whole read: at most one read (256 KiB)
        # more than the bound, and never a false refusal unless requests are pipelined.
        self._head_bytes = (self._head_bytes if head_continues else 0) + len(data)
        if self._head_bytes > MAX_HEAD_BYTES:
            self._refuse(
                HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                f"the request head is larger than {MAX_HEAD_BYTES} bytes",
            )

    def on_message_begin(self) -> None:
        self._in_head = self._in_message = True
        self._set_deadline(self._limits.request_timeout_s, self._request_expired)
        super().on_message_begin()

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_message = False
        self._cancel_deadline()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and not self._in_message and not self._busy():
            self._set_deadline(self._limits.idle_timeout_s, self._idle_expired)

    def _busy(self) -> bool:
        """The app is still answering a request of this connection (pipelined, say)."""
        return self.cycle is not None and not self.cycle.response_complete

    def _idle_expired(self) -> None:
        if not self._busy() and not self.transport.is_closing():
            self.transport.close()

    def _request_expired(self) -> None:
        if self.transport.is_closing():
            return
        if self._in_head:
            self._refuse(HTTPStatus.REQUEST_TIMEOUT, "the request head took too long")
        else:
            # The app is reading the body: closing tells it the client went away.
            self.transport.close()

    def _set_deadline(self, seconds: float, expired: Callable[[], None]) -> None:
        self._cancel_deadline()
        self._deadline = self.loop.call_later(seconds, expired)

    def _cancel_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _refuse(self, status: HTTPStatus, detail: str) -> None:
        """Answers with problem details and closes, before any app has seen the request."""
        body = json.dumps(
            {"type": "about:blank", "title": status.phrase, "status": status, "detail": detail}
        ).encode()
        head = (
            f"HTTP/1.1 {status.value} {status.phrase}\r\n"
            "content-type: application/problem+json\r\n"
            f"content-length: {len(body)}\r\n"
            "connection: close\r\n\r\n"
        ).encode()
        self.transport.write(head + body)
        self.transport.close()

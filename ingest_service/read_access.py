"""Who may read the analytics: anyone presenting a read token, and loopback if allowed.

The intake is public by nature; the dashboard, its API and the OpenAPI page are not.
Readers present one of the configured tokens as `Authorization: Bearer`, or the signed
session (`sessions.py`) that the dashboard's sign-in form sets as a cookie in exchange
for one. Where nothing proxies (`make run`), `CLICKSTREAM_LOOPBACK_READS` lets the
operator's own machine read without one: a connection from the loopback interface.
That is the TCP peer, never a forwarding header, and the setting cannot be on with
trusted proxies (a proxy on the same host makes every visitor a loopback peer).
"""

import hmac
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler

from ingest_service.client_address import forwarded_https, is_loopback
from ingest_service.sessions import Sessions
from ingest_service.settings import ReadSettings

READ_COOKIE = "clickstream_read"

Connection = ASGIConnection[Any, Any, Any, Any]


class ReadAccess:
    """Decides whether a request may read; also a Litestar guard (`guards=[access.guard]`)."""

    def __init__(self, settings: ReadSettings) -> None:
        self._tokens = tuple(token.encode() for token in settings.read_tokens)
        self._sessions = Sessions(settings.read_tokens)
        self._trusted_proxies = settings.trusted_proxies
        self._loopback_reads = settings.loopback_reads

    def allows(self, connection: Connection) -> bool:
        if self._loopback_reads and connection.client and is_loopback(connection.client.host):
            return True
        return self.accepts(_bearer_token(connection)) or self.signed_in(connection)

    def accepts(self, token: str | None) -> bool:
        """Whether `token` is one of the configured read tokens."""
        if not token:
            return False
        candidate = token.encode()
        # Every token is compared, in constant time, so timing tells nothing about which.
        matches = [hmac.compare_digest(candidate, known) for known in self._tokens]
        return any(matches)

    def signed_in(self, connection: Connection) -> bool:
        """Whether the browser holds a valid session: only it has something to sign out of."""
        return self._sessions.valid(connection.cookies.get(READ_COOKIE))

    def guard(self, connection: Connection, _: BaseRouteHandler) -> None:
        if not self.allows(connection):
            raise NotAuthorizedException(
                detail="reading analytics needs a read token (Authorization: Bearer <token>)",
                headers={"WWW-Authenticate": 'Bearer realm="clickstream"'},
            )

    def is_https(self, connection: Connection) -> bool:
        """Whether the client reached us over https, directly or at a trusted proxy."""
        # The scope's scheme, not `connection.url`: that parses the Host header, which fails
        # on a malformed one.
        return connection.scope.get("scheme") == "https" or forwarded_https(
            connection.headers, self._trusted_proxies
        )

    def cookie(self, connection: Connection, token: str | None) -> Cookie:
        """A session for `token`, one of the configured tokens, or with None an expired
        cookie that signs the browser out."""
        return Cookie(
            key=READ_COOKIE,
            value=self._sessions.issue(token) if token else "",
            path="/",
            max_age=self._sessions.max_age_s if token else 0,
            httponly=True,
            samesite="strict",
            secure=self.is_https(connection),
        )


def _bearer_token(connection: Connection) -> str | None:
    scheme, _, credentials = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return None

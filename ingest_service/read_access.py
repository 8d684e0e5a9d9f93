"""Who may read the analytics: loopback clients, and anyone presenting a read token.

The intake is public by nature; the dashboard, its API and the OpenAPI page are not.
A request from the loopback interface (as far as the trusted proxies tell) is the
operator's own machine and needs nothing. Anyone else presents one of the configured
tokens, as `Authorization: Bearer` or in the cookie the dashboard's login form sets.
With no token configured, only loopback clients can read.
"""

import hmac
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler

from ingest_service.client_address import client_address, is_loopback
from ingest_service.settings import ReadSettings

READ_COOKIE = "clickstream_read"
# The login form asks once a month at most.
COOKIE_MAX_AGE_S = 30 * 24 * 3600

Connection = ASGIConnection[Any, Any, Any, Any]


class ReadAccess:
    """Decides whether a request may read; also a Litestar guard (`guards=[access.guard]`)."""

    def __init__(self, settings: ReadSettings) -> None:
        self._tokens = tuple(token.encode() for token in settings.read_tokens)
        self._trusted_proxies = settings.trusted_proxies

    def allows(self, connection: Connection) -> bool:
        peer = connection.client.host if connection.client else None
        address = client_address(peer, connection.headers, self._trusted_proxies)
        return is_loopback(address) or self.accepts(_presented_token(connection))

    def accepts(self, token: str | None) -> bool:
        if not token:
            return False
        candidate = token.encode()
        # Every token is compared, in constant time, so timing tells nothing about which.
        matches = [hmac.compare_digest(candidate, known) for known in self._tokens]
        return any(matches)

    def guard(self, connection: Connection, _: BaseRouteHandler) -> None:
        if not self.allows(connection):
            raise NotAuthorizedException(
                detail="reading analytics needs a read token (Authorization: Bearer <token>)"
                " unless the request comes from this machine",
                headers={"WWW-Authenticate": 'Bearer realm="clickstream"'},
            )

    def is_https(self, connection: Connection) -> bool:
        """Whether the client reached us over https, directly or at a trusted proxy."""
        if connection.url.scheme == "https":
            return True
        if self._trusted_proxies <= 0:
            return False
        # As with X-Forwarded-For, the outermost trusted proxy's entry is the one it wrote.
        hops = connection.headers.get("x-forwarded-proto", "").split(",")
        if len(hops) < self._trusted_proxies:
            return hops[-1].strip().lower() == "https"
        return hops[-self._trusted_proxies].strip().lower() == "https"

    def cookie(self, connection: Connection, token: str) -> Cookie:
        return Cookie(
            key=READ_COOKIE,
            value=token,
            path="/",
            max_age=COOKIE_MAX_AGE_S,
            httponly=True,
            samesite="strict",
            secure=self.is_https(connection),
        )


def _presented_token(connection: Connection) -> str | None:
    scheme, _, credentials = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return connection.cookies.get(READ_COOKIE)

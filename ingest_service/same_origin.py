"""Forms that change state answer only to pages of this site: no cross-site posts.

A browser names the page a form was posted from in `Origin` (and in `Referer`, which is
read when `Origin` is missing). A page elsewhere cannot make the browser lie about
either, nor about the `Host` it sends to this site, so the check is: the origin's host
is the host the request was sent to, or one a proxy in front says it was sent to
(`X-Forwarded-Host`: a cross-site form cannot set that header). A request with
neither header comes from no browser page, so no other site can have made it.
"""

from typing import Any
from urllib.parse import urlsplit

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _host_port(scheme: str, netloc: str) -> str | None:
    """`host:port`, lower-cased and with the scheme's default port spelt out; None if malformed."""
    try:
        parts = urlsplit(f"{scheme}://{netloc}")
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None
    return f"{parts.hostname}:{port}" if parts.hostname else None


def posted_from_this_site(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    headers = connection.headers
    origin = headers.get("origin") or headers.get("referer")
    if origin is None:
        return True
    source = urlsplit(origin) if origin.isascii() else None
    if source is None or source.scheme not in _DEFAULT_PORTS:
        return False  # `Origin: null` (sandboxed or privacy-stripped pages) among them
    posted_from = _host_port(source.scheme, source.netloc)
    hosts = [headers.get("host", ""), *headers.get("x-forwarded-host", "").split(",")]
    # The scheme of the site as the browser saw it: a proxy may have ended TLS.
    sent_to = {_host_port(source.scheme, host.strip()) for host in hosts if host.strip()}
    return posted_from is not None and posted_from in sent_to


def same_origin_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if not posted_from_this_site(connection):
        raise PermissionDeniedException(
            detail="this form may only be posted from this site's own pages"
        )

"""Who the client is and how it reached us, trusting only the configured proxies.

This is the service's only reader of forwarding headers: the server runs with uvicorn's
own proxy-header handling off (`serving.py`), so the ASGI peer is the TCP peer. Only
`X-Forwarded-For` and `X-Forwarded-Proto` are read. `Forwarded` and `X-Real-IP` are
ignored whatever they say: a proxy that does not write them passes the client's own
copy through unchanged.
"""

import ipaddress
from collections.abc import Mapping

from litestar.datastructures import Headers

FORWARDED_FOR = "x-forwarded-for"
FORWARDED_PROTO = "x-forwarded-proto"


def client_address(peer: str | None, headers: Mapping[str, str], trusted_proxies: int) -> str:
    """The address the outermost trusted proxy saw, else the peer's.

    Each proxy appends the address it received the request from to `X-Forwarded-For`, so
    behind N trusted proxies the client is the N-th entry from the right; anything left
    of it was written by the client and could be forged. With no trusted proxies the
    header is ignored: anyone could otherwise pick their own address. With fewer entries
    than trusted proxies the request did not come through all of them, so no entry can
    be trusted and the peer is the answer.
    """
    if trusted_proxies:
        hops = _entries(headers, FORWARDED_FOR)
        if len(hops) >= trusted_proxies:
            return hops[-trusted_proxies]
    return peer or ""


def forwarded_https(headers: Mapping[str, str], trusted_proxies: int) -> bool:
    """Whether a trusted proxy says the client reached it over https.

    Proxies usually replace `X-Forwarded-Proto` rather than append to it, so with fewer
    entries than trusted proxies the nearest proxy's, the last, is the one to believe.
    """
    protos = _entries(headers, FORWARDED_PROTO) if trusted_proxies else []
    if not protos:
        return False
    proto = protos[-1] if len(protos) < trusted_proxies else protos[-trusted_proxies]
    return proto.lower() == "https"


def _entries(headers: Mapping[str, str], name: str) -> list[str]:
    """Every entry of a comma-separated header, left to right, across all its lines.

    HAProxy's `option forwardfor` adds a line of its own rather than appending to the
    client's, so the lines are one list, in order (RFC 9110 5.3); reading only the first
    would take the client's forgery for the proxy's entry.
    """
    # A plain mapping holds one line at most.
    lines = headers.getall(name, []) if isinstance(headers, Headers) else [headers.get(name, "")]
    return [entry.strip() for line in lines for entry in line.split(",") if entry.strip()]


def is_loopback(address: str) -> bool:
    """True for every 127.x address and ::1; False for names and malformed text."""
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False

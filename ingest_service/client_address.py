"""Which address a request comes from, trusting only the configured proxies."""

import ipaddress
from collections.abc import Mapping


def client_address(peer: str | None, headers: Mapping[str, str], trusted_proxies: int) -> str:
    """The address the outermost trusted proxy saw, else the peer's.

    Each proxy appends the address it received the request from to `X-Forwarded-For`, so
    behind N trusted proxies the client is the N-th entry from the right; anything left
    of it was written by the client and could be forged. With no trusted proxies the
    header is ignored: anyone could otherwise pick their own address.
    """
    forwarded_for = headers.get("x-forwarded-for") if trusted_proxies else None
    if forwarded_for:
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        if hops:
            return hops[-min(trusted_proxies, len(hops))]
    return peer or ""


def is_loopback(address: str) -> bool:
    """True for every 127.x address and ::1; False for names and malformed text."""
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False

import pytest
from litestar.datastructures import Headers

from ingest_service.client_address import client_address, forwarded_https, is_loopback


def _lines(name: str, values: list[str]) -> Headers:
    """Headers as the server hands them on: one entry per line received, in order."""
    return _raw([(name, value) for value in values])


def _raw(pairs: list[tuple[str, str]]) -> Headers:
    return Headers([(name.encode(), value.encode()) for name, value in pairs])


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("10.0.0.5", "", 0, "10.0.0.5"),
        ("10.0.0.5", "203.0.113.9", 0, "10.0.0.5"),  # no proxy trusted: header ignored
        ("10.0.0.5", "203.0.113.9", 1, "203.0.113.9"),
        ("10.0.0.5", "1.1.1.1, 203.0.113.9", 1, "203.0.113.9"),  # left part is spoofable
        ("10.0.0.5", "203.0.113.9, 10.0.0.7", 2, "203.0.113.9"),
        ("10.0.0.5", "", 1, "10.0.0.5"),  # header missing: the peer
        # Fewer entries than proxies: the request skipped one, so its entries prove nothing.
        ("10.0.0.5", "127.0.0.1", 2, "10.0.0.5"),
        ("10.0.0.5", " , 203.0.113.9 ,", 1, "203.0.113.9"),
    ],
)
def test_client_address(peer: str, forwarded: str, trusted: int, expected: str) -> None:
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    assert client_address(peer, headers, trusted) == expected


@pytest.mark.parametrize(
    ("lines", "trusted", "expected"),
    [
        # HAProxy's `option forwardfor`: the client's forged line, then the proxy's own.
        (["127.0.0.1", "203.0.113.9"], 1, "203.0.113.9"),
        (["127.0.0.1, 10.9.9.9", "203.0.113.9"], 1, "203.0.113.9"),
        (["203.0.113.9", "10.0.0.7"], 2, "203.0.113.9"),
        (["1.1.1.1", "203.0.113.9, 10.0.0.7"], 2, "203.0.113.9"),
        (["127.0.0.1", "::1"], 3, "10.0.0.5"),
    ],
)
def test_every_line_of_the_header_counts_in_order(
    lines: list[str], trusted: int, expected: str
) -> None:
    assert client_address("10.0.0.5", _lines("x-forwarded-for", lines), trusted) == expected


@pytest.mark.parametrize(
    "forged",
    [
        [("forwarded", "for=127.0.0.1")],
        [("x-real-ip", "127.0.0.1")],
        [("forwarded", 'for="[::1]"'), ("x-real-ip", "::1")],
    ],
)
@pytest.mark.parametrize("trusted", [0, 1])
def test_other_forwarding_headers_are_never_read(
    forged: list[tuple[str, str]], trusted: int
) -> None:
    assert client_address("10.0.0.5", _raw(forged), trusted) == "10.0.0.5"


@pytest.mark.parametrize(
    ("lines", "trusted", "https"),
    [
        (["https"], 0, False),  # no proxy trusted: anyone could say so
        (["https"], 1, True),
        (["http"], 1, False),
        (["https", "http"], 1, False),  # the client's line, then the proxy's
        (["HTTPS"], 2, True),  # proxies replace the header: the nearest one's value
        (["http, https"], 2, False),
        ([], 1, False),
    ],
)
def test_forwarded_https(lines: list[str], trusted: int, https: bool) -> None:
    assert forwarded_https(_lines("x-forwarded-proto", lines), trusted) is https


@pytest.mark.parametrize(
    ("address", "loopback"),
    [("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("203.0.113.9", False), ("", False)],
)
def test_is_loopback(address: str, loopback: bool) -> None:
    assert is_loopback(address) is loopback

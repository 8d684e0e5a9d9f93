import pytest

from ingest_service.client_address import client_address, is_loopback


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("10.0.0.5", "", 0, "10.0.0.5"),
        ("10.0.0.5", "203.0.113.9", 0, "10.0.0.5"),  # no proxy trusted: header ignored
        ("10.0.0.5", "203.0.113.9", 1, "203.0.113.9"),
        ("10.0.0.5", "1.1.1.1, 203.0.113.9", 1, "203.0.113.9"),  # left part is spoofable
        ("10.0.0.5", "203.0.113.9, 10.0.0.7", 2, "203.0.113.9"),
        ("10.0.0.5", "", 1, "10.0.0.5"),  # header missing: the peer
    ],
)
def test_client_address(peer: str, forwarded: str, trusted: int, expected: str) -> None:
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    assert client_address(peer, headers, trusted) == expected


@pytest.mark.parametrize(
    ("address", "loopback"),
    [("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("203.0.113.9", False), ("", False)],
)
def test_is_loopback(address: str, loopback: bool) -> None:
    assert is_loopback(address) is loopback

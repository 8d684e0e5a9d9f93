"""Who the client is, through real HAProxy and nginx, and with no proxy at all.

Every server here has uvicorn's `FORWARDED_ALLOW_IPS='*'` in its environment, as a host
might: the service must read forwarding headers itself, or not at all.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.ingest.clicks import tracker_click
from tests.proxies import haproxy, nginx
from tests.servers import serving

pytestmark = pytest.mark.slow

TOKEN = "edge-test-read-token-01"
RATE_LIMIT = 3
READ_PATHS = ["/dashboard", "/api/dashboard/live", "/schema/openapi.json"]
HOSTILE_ENV = {"FORWARDED_ALLOW_IPS": "*"}
# What a client may send to pass for the server's own machine.
FORGED = [
    [("X-Forwarded-For", "127.0.0.1")],
    [("X-Forwarded-For", "127.0.0.1"), ("X-Forwarded-For", "127.0.0.1")],
    [("X-Forwarded-For", "203.0.113.7, 127.0.0.1")],
    [("X-Forwarded-For", "::1")],
    [("Forwarded", "for=127.0.0.1"), ("X-Real-IP", "127.0.0.1")],
]


@contextmanager
def _server(directory: Path, settings: dict[str, str]) -> Iterator[str]:
    with serving(directory / "data", settings={**HOSTILE_ENV, **settings}) as server:
        yield server.base_url


@pytest.fixture(scope="module")
def one_proxy_trusted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Configured for one proxy in front (as behind an ALB), with a token and a rate limit."""
    settings = {
        "CLICKSTREAM_TRUSTED_PROXIES": "1",
        "CLICKSTREAM_READ_TOKEN": TOKEN,
        "CLICKSTREAM_RATE_LIMIT": str(RATE_LIMIT),
    }
    with _server(tmp_path_factory.mktemp("one-proxy"), settings) as url:
        yield url


@pytest.fixture(scope="module")
def through_haproxy(
    one_proxy_trusted: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with haproxy(one_proxy_trusted, tmp_path_factory.mktemp("haproxy")) as url:
        yield url


@pytest.fixture(scope="module")
def through_nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The defaults and a token behind nginx on the same host, which counts no proxy."""
    with (
        _server(tmp_path_factory.mktemp("no-proxy"), {"CLICKSTREAM_READ_TOKEN": TOKEN}) as url,
        nginx(url, tmp_path_factory.mktemp("nginx")) as proxied,
    ):
        yield proxied


def _get(url: str, headers: list[tuple[str, str]]) -> httpx.Response:
    # A list keeps repeated header lines apart, as a client can send them.
    return httpx.get(url, headers=headers, timeout=10.0)


@pytest.mark.parametrize("forged", FORGED)
@pytest.mark.parametrize("path", READ_PATHS)
@pytest.mark.parametrize("route", ["through_haproxy", "one_proxy_trusted"])
def test_a_forged_address_through_haproxy_or_straight_reads_nothing(
    request: pytest.FixtureRequest, route: str, path: str, forged: list[tuple[str, str]]
) -> None:
    """HAProxy adds its line after the client's; straight, the client writes them all."""
    base_url: str = request.getfixturevalue(route)
    assert _get(base_url + path, forged).status_code == 401


@pytest.mark.parametrize("path", READ_PATHS)
def test_the_token_reads_through_haproxy(through_haproxy: str, path: str) -> None:
    response = _get(through_haproxy + path, [("Authorization", f"Bearer {TOKEN}")])
    assert response.status_code == 200


def test_a_rotated_address_through_haproxy_stays_rate_limited(through_haproxy: str) -> None:
    statuses = [
        httpx.post(
            f"{through_haproxy}/clicks",
            json=tracker_click(),
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
            timeout=10.0,
        ).status_code
        for n in range(RATE_LIMIT * 3)
    ]
    assert statuses == [202] * RATE_LIMIT + [429] * (RATE_LIMIT * 2)


@pytest.mark.parametrize("forged", [[], *FORGED])
@pytest.mark.parametrize("path", READ_PATHS)
def test_nginx_on_the_same_host_opens_nothing(
    through_nginx: str, path: str, forged: list[tuple[str, str]]
) -> None:
    assert _get(through_nginx + path, forged).status_code == 401


def test_the_token_reads_through_nginx(through_nginx: str) -> None:
    response = _get(through_nginx + "/api/dashboard/live", [("Authorization", f"Bearer {TOKEN}")])
    assert response.status_code == 200


def test_loopback_reads_when_asked_and_the_environment_moves_no_address(
    tmp_path: Path,
) -> None:
    """`make run`'s case: nothing in front, loopback reads on, uvicorn's variable set."""
    settings = {"CLICKSTREAM_LOOPBACK_READS": "1", "CLICKSTREAM_RATE_LIMIT": "1"}
    with _server(tmp_path, settings) as base_url:
        for path in READ_PATHS:
            assert _get(base_url + path, []).status_code == 200
        # Were uvicorn to believe the header, each click would come from a new client.
        statuses = [
            httpx.post(
                f"{base_url}/clicks",
                json=tracker_click(),
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            ).status_code
            for n in range(3)
        ]
        assert statuses == [202, 429, 429]

"""Paths with NUL bytes, other control characters, undecodable bytes or no end: a 4xx."""

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from ingest_service.app import create_app
from ingest_service.settings import IntakeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from tests.servers import serving

BASES = ["/", "/api/dashboard/live", "/dashboard", "/clicks", "/assets/app.js", "/health"]
REFUSED = {
    "%00": 400,
    "%00x": 400,
    "%01": 400,
    "%0a": 400,
    "%0d%0a": 400,
    "%1b[2J": 400,
    "%7f": 400,
    "%c2%85": 400,  # U+0085, a C1 control
    "%ff": 400,
    "%c0%af": 400,  # an overlong encoding of "/"
    "%ed%a0%80": 400,  # a surrogate, encoded
    "a" * 256: 414,
    "a/" * 1100: 414,
}
# Odd but harmless: they reach routing and find a page or nothing.
PASSED = ["%", "%zz", "%2e%2e/%2e%2e/etc/passwd", "%e2%80%8b", "%ef%bb%bf", "a" * 255, "%20"]


@pytest.fixture
async def client(
    settings: IntakeSettings, sqlite_store: SQLiteClickStore, tmp_path: Path
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    # With a built frontend, every unmatched path goes to the static files handler.
    static = tmp_path / "dist"
    static.mkdir()
    (static / "index.html").write_text("<title>app</title>")
    app = create_app(settings, sqlite_store, static_dir=static)
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


@pytest.mark.anyio
@pytest.mark.parametrize("base", BASES)
async def test_refused_paths_are_400_or_414_problem_details(
    client: AsyncTestClient[Litestar], base: str
) -> None:
    for suffix, status in REFUSED.items():
        response = await client.get(base + suffix)
        assert response.status_code == status, (base, suffix, response.text)
        assert response.json()["type"] == "/problems/invalid-path"


@pytest.mark.anyio
@pytest.mark.parametrize("base", BASES)
async def test_odd_but_harmless_paths_are_answered_below_500(
    client: AsyncTestClient[Litestar], base: str
) -> None:
    for suffix in PASSED:
        response = await client.get(base + suffix)
        assert response.status_code < 500, (base, suffix, response.text)


def _status_line(port: int, target: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        request = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        connection.sendall(request.encode("ascii"))
        return connection.makefile("rb").readline().strip()


@pytest.mark.slow
def test_the_running_server_refuses_them_too(tmp_path: Path) -> None:
    # The server decodes the path itself: what reaches the app is what uvicorn made of it.
    with serving(tmp_path / "data") as server:
        port = int(server.base_url.rsplit(":", 1)[1])
        for target in ["/%00", "/api/dashboard/live%00", "/%ff", "/assets/%00x.js"]:
            assert _status_line(port, target) == b"HTTP/1.1 400 Bad Request", target
        assert _status_line(port, "/" + "a" * 300) == b"HTTP/1.1 414 Request-URI Too Long"

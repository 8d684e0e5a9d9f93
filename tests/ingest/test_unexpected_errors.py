"""An error nobody expected: a 500 whose problem details carry a request id, and a log line
with the same id and the traceback."""

import logging
import time
from collections.abc import AsyncIterator

import anyio
import pytest
from litestar import Litestar, get
from litestar.exceptions import InternalServerException
from litestar.testing import AsyncTestClient

from ingest_service.app import create_app
from ingest_service.settings import IntakeSettings
from ingest_service.store.sqlite import SQLiteClickStore

pytestmark = pytest.mark.anyio


@get("/broken")
async def broken() -> None:
    raise RuntimeError("a bug in a handler")


@get("/wrapped")
async def wrapped() -> None:
    # What Litestar raises itself when its file system fails under the static files.
    raise InternalServerException() from OSError("the file system failed")


@pytest.fixture
async def client(
    settings: IntakeSettings, sqlite_store: SQLiteClickStore
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    app = create_app(settings, sqlite_store, extra_handlers=[broken, wrapped], static_dir=None)
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


@pytest.mark.parametrize(("path", "cause"), [("/broken", "a bug"), ("/wrapped", "file system")])
async def test_a_500_is_logged_with_its_traceback_and_request_id(
    client: AsyncTestClient[Litestar], caplog: pytest.LogCaptureFixture, path: str, cause: str
) -> None:
    with caplog.at_level(logging.ERROR, logger="ingest_service"):
        response = await client.get(path)

    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    request_id = body["request_id"]
    assert len(request_id) == 32
    assert body["type"] == "/problems/unexpected"
    assert request_id in body["detail"]
    assert response.headers["x-request-id"] == request_id
    assert cause not in response.text  # the cause stays in the log
    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    assert f"GET '{path}', request id {request_id}" in record.getMessage()
    assert record.exc_info is not None
    traceback = caplog.text
    assert "Traceback (most recent call last)" in traceback
    assert cause in traceback


async def test_each_500_has_its_own_request_id(client: AsyncTestClient[Litestar]) -> None:
    ids = {(await client.get("/broken")).json()["request_id"] for _ in range(3)}

    assert len(ids) == 3


async def test_expected_errors_are_not_logged_as_unexpected(
    client: AsyncTestClient[Litestar], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="ingest_service"):
        assert (await client.get("/nowhere")).status_code == 404
        assert (await client.post("/clicks", json={})).status_code == 422

    assert caplog.records == []


async def test_the_log_line_reaches_the_server_s_stderr(
    capfd: pytest.CaptureFixture[str], client: AsyncTestClient[Litestar]
) -> None:
    # capfd first: the app's log handler takes the stderr of the moment it is built.
    request_id = (await client.get("/broken")).json()["request_id"]

    # Litestar's queue handler writes from its own thread: wait for it.
    written = ""
    deadline = time.monotonic() + 5.0
    while request_id not in written and time.monotonic() < deadline:
        await anyio.sleep(0.05)
        written += capfd.readouterr().err
    assert "ERROR - " in written
    assert request_id in written
    assert "RuntimeError: a bug in a handler" in written


async def test_a_malformed_host_header_does_not_break_the_error_handler(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/broken", headers={"host": "[::1]:99999"})

    assert response.status_code == 500
    assert response.json()["request_id"]

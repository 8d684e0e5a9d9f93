"""The SQLite store fails loudly: no request waits for a dead writer, and /ready says so."""

import asyncio
import sqlite3
from collections.abc import AsyncIterator

import pytest

from ingest_service.settings import IntakeSettings
from ingest_service.store import StoreUnavailable, sqlite_writer
from ingest_service.store.sqlite import SQLiteClickStore
from tests.ingest.apps import TestClient, app_client
from tests.ingest.clicks import tracker_click

pytestmark = pytest.mark.anyio

# Far above a commit's time here, far below "forever".
ANSWER_WITHIN_S = 10.0


class FillableDisk(SQLiteClickStore):
    """A store whose disk can be made full: new connections may not grow the file."""

    full = False

    def _connect(self) -> sqlite3.Connection:
        conn = super()._connect()
        if self.full:
            (pages,) = conn.execute("PRAGMA page_count").fetchone()
            conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn


@pytest.fixture
async def disk(settings: IntakeSettings) -> AsyncIterator[tuple[FillableDisk, TestClient]]:
    store = FillableDisk(settings.store_path)
    store.setup()
    try:
        async with app_client(settings, store) as client:
            yield store, client
    finally:
        store.close()


async def _post(client: TestClient, count: int = 1) -> int:
    clicks = [tracker_click() for _ in range(count)]
    request = client.post("/clicks/batch", json={"clicks": clicks})
    response = await asyncio.wait_for(request, ANSWER_WITHIN_S)
    return response.status_code


async def test_a_writer_that_cannot_start_answers_503_and_is_restarted(
    disk: tuple[FillableDisk, TestClient],
) -> None:
    store, client = disk
    lock_path = store.path.with_name(store.path.name + ".write-lock")
    lock_path.mkdir()  # the writer cannot open its lock file: it dies at start

    with pytest.raises(StoreUnavailable, match="writer failed"):
        store.submit([]).result(timeout=ANSWER_WITHIN_S)
    assert await _post(client) == 503
    assert await _post(client) == 503
    assert (await client.get("/ready")).status_code == 503

    lock_path.rmdir()
    assert (await client.get("/ready")).status_code == 200
    assert await _post(client) == 202


async def test_a_writer_that_dies_fails_every_waiting_request_then_comes_back(
    disk: tuple[FillableDisk, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, client = disk
    insert = sqlite_writer._insert
    deaths = 0

    def dying_once(conn: sqlite3.Connection, rows: list[object], *, probe: bool) -> list[bool]:
        nonlocal deaths
        if deaths == 0:
            deaths += 1
            raise MemoryError("the writer thread dies")
        return insert(conn, rows, probe=probe)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite_writer, "_insert", dying_once)

    answers = await asyncio.gather(*(_post(client) for _ in range(8)))
    assert 503 in answers
    assert set(answers) <= {202, 503}
    assert await _post(client) == 202


async def test_ready_is_503_while_the_disk_is_full_and_recovers_after(
    disk: tuple[FillableDisk, TestClient],
) -> None:
    store, client = disk
    assert await _post(client) == 202
    assert (await client.get("/ready")).status_code == 200
    store.close()  # the writer's next connection is opened on the full disk
    store.full = True

    assert await _post(client, count=200) == 503
    ready = await client.get("/ready")
    assert ready.status_code == 503
    assert "full" in ready.json()["detail"]

    store.full = False
    assert (await client.get("/ready")).status_code == 200
    assert await _post(client, count=200) == 202

import json
from datetime import UTC, datetime

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from ingest_service.store.sqlite import SQLiteClickStore
from tests.ingest.clicks import seed_click, tracker_click

pytestmark = pytest.mark.anyio


async def test_seed_app_payload_is_stored_once(
    client: AsyncTestClient[Litestar],
    sqlite_store: SQLiteClickStore,
) -> None:
    click = seed_click()
    first = await client.post("/clicks", json=click)
    again = await client.post("/clicks", json=click)
    assert (first.status_code, first.json()) == (202, {"id": click["id"], "status": "stored"})
    assert (again.status_code, again.json()["status"]) == (202, "duplicate")
    today = datetime.now(UTC).date()
    assert sqlite_store.count_day(today) == 1
    (batch,) = sqlite_store.read_day(today)
    row = batch.to_pylist()[0]
    assert row["client_ts_zoneless"] is True
    assert row["client_ts"] == datetime(2026, 11, 24, 21, 30, tzinfo=UTC)
    assert (row["browser"], row["os"], row["device_type"]) == ("Chrome", "Mac OS X", "desktop")
    assert (row["city"], row["country"]) == ("Unknown", "Unknown")


async def test_batch_keeps_good_items_when_one_is_bad(
    client: AsyncTestClient[Litestar],
    sqlite_store: SQLiteClickStore,
) -> None:
    good, bad = tracker_click(), tracker_click(pageUrl="javascript:alert(1)")
    response = await client.post(
        "/clicks/batch",
        content=json.dumps({"clicks": [good, bad]}),
        headers={"content-type": "text/plain;charset=UTF-8"},
    )
    assert response.status_code == 202
    body = response.json()
    assert (body["stored"], body["rejected"]) == (1, 1)
    assert body["results"][1] == {
        "index": 1,
        "id": bad["id"],
        "status": "rejected",
        "errors": [{"field": "pageUrl", "message": "must be an http(s) URL"}],
    }
    assert sqlite_store.count_day(datetime.now(UTC).date()) == 1


async def test_health_and_ready(client: AsyncTestClient[Litestar]) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    assert (await client.get("/ready")).status_code == 200

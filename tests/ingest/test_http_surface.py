"""CORS, the OpenAPI schema, idempotency and per-item batch results over HTTP."""

import dataclasses
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest_service.settings import IntakeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from tests.ingest.apps import TestClient, app_client
from tests.ingest.clicks import seed_click, tracker_click

pytestmark = pytest.mark.anyio

ALLOWED = "https://shop.example"


def _today() -> datetime:
    return datetime.now(UTC)


async def test_cors_preflight_answers_configured_origins_only(
    settings: IntakeSettings, sqlite_store: SQLiteClickStore
) -> None:
    cors = dataclasses.replace(settings, cors_origins=(ALLOWED, "http://localhost:5173"))
    preflight = {
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
    }
    async with app_client(cors, sqlite_store) as client:
        allowed = await client.options("/clicks/batch", headers={"origin": ALLOWED, **preflight})
        assert allowed.status_code == 204
        assert allowed.headers["access-control-allow-origin"] == ALLOWED
        assert "POST" in allowed.headers["access-control-allow-methods"]
        assert "content-type" in allowed.headers["access-control-allow-headers"].lower()

        other = await client.options(
            "/clicks/batch", headers={"origin": "https://evil.example", **preflight}
        )
        assert other.status_code == 400
        assert "access-control-allow-origin" not in other.headers

        posted = await client.post("/clicks", json=seed_click(), headers={"origin": ALLOWED})
        assert posted.headers["access-control-allow-origin"] == ALLOWED
        foreign = await client.post(
            "/clicks", json=seed_click(), headers={"origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in foreign.headers


async def test_no_cors_headers_without_configured_origins(
    client: TestClient,
) -> None:
    response = await client.post("/clicks", json=seed_click(), headers={"origin": ALLOWED})
    assert response.status_code == 202
    assert "access-control-allow-origin" not in response.headers


async def test_openapi_documents_the_request_bodies(
    settings: IntakeSettings, sqlite_store: SQLiteClickStore
) -> None:
    token = "t" * 32  # the schema also lists the read API: readers only
    reader = dataclasses.replace(settings, read_tokens=(token,))
    async with app_client(reader, sqlite_store) as client:
        response = await client.get(
            "/schema/openapi.json", headers={"authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200
    paths = response.json()["paths"]
    one = paths["/clicks"]["post"]["requestBody"]["content"]
    assert set(one) == {"application/json", "text/plain"}
    click = one["application/json"]["schema"]
    assert {"id", "button", "timestamp", "pageUrl", "device", "location", "type"} <= set(
        click["properties"]
    )
    # A click needs its button, a page view none: the intake checks it, not the schema.
    assert set(click["required"]) == {"id", "timestamp", "pageUrl"}
    assert set(click["properties"]["type"]["enum"]) == {"click", "pageview"}
    batch = paths["/clicks/batch"]["post"]["requestBody"]["content"]["application/json"]
    items = batch["schema"]["properties"]["clicks"]["items"]
    assert "pageUrl" in items["properties"]
    assert "202" in paths["/clicks"]["post"]["responses"]


async def test_same_click_twice_is_stored_once_single_and_batch(
    client: TestClient,
    sqlite_store: SQLiteClickStore,
) -> None:
    click = tracker_click()
    first = await client.post("/clicks/batch", json={"clicks": [click, click]})
    assert first.status_code == 202
    assert [r["status"] for r in first.json()["results"]] == ["stored", "duplicate"]
    again = await client.post("/clicks", json=click)
    assert (again.status_code, again.json()["status"]) == (202, "duplicate")
    resent = await client.post("/clicks/batch", json={"clicks": [click]})
    assert resent.json()["duplicates"] == 1
    assert sqlite_store.count_day(_today().date()) == 1


async def test_batch_partial_failure_keeps_every_good_item(
    client: TestClient,
    sqlite_store: SQLiteClickStore,
) -> None:
    stored_before = tracker_click()
    await client.post("/clicks", json=stored_before)
    items = [
        tracker_click(),
        tracker_click(id="nope"),
        stored_before,
        "not an object",
        seed_click(location={"latitude": 99, "longitude": 0}),
        seed_click(),
    ]
    response = await client.post("/clicks/batch", json={"clicks": items})
    assert response.status_code == 202
    body = response.json()
    assert (body["stored"], body["duplicates"], body["rejected"]) == (2, 1, 3)
    statuses = [(r["index"], r["status"]) for r in body["results"]]
    assert statuses == [
        (0, "stored"),
        (1, "rejected"),
        (2, "duplicate"),
        (3, "rejected"),
        (4, "rejected"),
        (5, "stored"),
    ]
    assert body["results"][1]["errors"] == [{"field": "id", "message": "Invalid UUID"}]
    assert body["results"][4]["errors"][0]["field"] == "location.latitude"
    assert sqlite_store.count_day(_today().date()) == 3


async def test_empty_batch_is_rejected(client: TestClient) -> None:
    response = await client.post("/clicks/batch", json={"clicks": []})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "clicks"


def test_the_user_agent_parser_is_built_at_start_not_by_the_first_click(tmp_path: Path) -> None:
    # In a fresh interpreter: in this one another test has built the parser already.
    started = f"""
import ua_parser
from litestar.testing import TestClient
from ingest_service.app import create_app
from ingest_service.settings import IntakeSettings
from ingest_service.store.sqlite import SQLiteClickStore

settings = IntakeSettings(data_dir=__import__("pathlib").Path({str(tmp_path)!r}))
store = SQLiteClickStore(settings.store_path)
store.setup()
assert "parser" not in vars(ua_parser)
with TestClient(create_app(settings, store, static_dir=None)):
    assert "parser" in vars(ua_parser)
"""
    subprocess.run([sys.executable, "-c", started], check=True, timeout=60)

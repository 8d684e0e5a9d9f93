"""Bodies that are not clicks at all: a clear 4xx, never a 500."""

import dataclasses
import json
from datetime import UTC, datetime

import pytest

from ingest_service.settings import IntakeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from tests.ingest.apps import TestClient, app_client
from tests.ingest.clicks import seed_click

pytestmark = pytest.mark.anyio

JSON = {"content-type": "application/json"}
ENDPOINTS = ["/clicks", "/clicks/batch"]


@pytest.mark.parametrize("path", ENDPOINTS)
# msgspec validates while it parses, so a body whose first error is a wrong field (say
# `{"id": "1",}`) is a 422 naming the field; these fail as JSON first.
@pytest.mark.parametrize("body", [b"{", b"not json", b"", b'{"button": "x",}', b"\x00"])
async def test_malformed_json_is_400(
    client: TestClient,
    path: str,
    body: bytes,
) -> None:
    response = await client.post(path, content=body, headers=JSON)
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/malformed-body"


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data", "text/html"]
)
async def test_wrong_content_type_is_415(
    client: TestClient,
    path: str,
    content_type: str,
) -> None:
    body = json.dumps(seed_click())
    response = await client.post(path, content=body, headers={"content-type": content_type})
    assert response.status_code == 415
    assert content_type in response.json()["detail"]


@pytest.mark.parametrize("content_type", ["text/plain;charset=UTF-8", "Application/JSON"])
async def test_json_sent_as_text_plain_or_any_case_is_accepted(
    client: TestClient,
    content_type: str,
) -> None:
    # text/plain: a tracker's "simple" request that needs no CORS preflight.
    body = json.dumps(seed_click())
    response = await client.post("/clicks", content=body, headers={"content-type": content_type})
    assert response.status_code == 202


@pytest.mark.parametrize("path", ENDPOINTS)
async def test_body_over_the_configured_limit_is_413(
    settings: IntakeSettings, sqlite_store: SQLiteClickStore, path: str
) -> None:
    small = dataclasses.replace(settings, max_body_bytes=2_000)
    body = json.dumps({"clicks": [seed_click(button="b" * 150) for _ in range(10)]})
    assert len(body) > 2_000
    async with app_client(small, sqlite_store) as client:
        response = await client.post(path, content=body, headers=JSON)
        assert response.status_code == 413
        within = await client.post("/clicks", json=seed_click())
        assert within.status_code == 202


async def test_too_many_items_is_413_and_stores_nothing(
    settings: IntakeSettings, sqlite_store: SQLiteClickStore
) -> None:
    three = dataclasses.replace(settings, max_batch_clicks=3)
    async with app_client(three, sqlite_store) as client:
        response = await client.post(
            "/clicks/batch", json={"clicks": [seed_click() for _ in range(4)]}
        )
        assert response.status_code == 413
        assert response.json()["type"] == "/problems/batch-too-large"
        assert "at most 3" in response.json()["detail"]
        ok = await client.post("/clicks/batch", json={"clicks": [seed_click() for _ in range(3)]})
        assert (ok.status_code, ok.json()["stored"]) == (202, 3)
    assert sqlite_store.count_day(datetime.now(UTC).date()) == 3


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("depth", [200, 5_000, 100_000])
async def test_deeply_nested_json_is_a_4xx(
    client: TestClient,
    path: str,
    depth: int,
) -> None:
    nested = b"[" * depth + b"]" * depth
    click = json.dumps(seed_click()).encode()
    deep_click = click[:-1] + b', "extra": ' + nested + b"}"
    for body in (nested, deep_click, b'{"clicks": [' + deep_click + b"]}"):
        response = await client.post(path, content=body, headers=JSON)
        # A click with a deep but ignored field may be stored; nothing may fail.
        assert response.status_code in {202, 400, 422}, (depth, response.text[:200])


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(
    "body",
    [
        b'{"id": "\xff\xfe", "button": "x"}',
        b"\xc3\x28",
        b'{"clicks": [{"button": "\xed\xa0\x80"}]}',
    ],
)
async def test_invalid_utf8_is_a_4xx(
    client: TestClient,
    path: str,
    body: bytes,
) -> None:
    response = await client.post(path, content=body, headers=JSON)
    if response.status_code == 202:  # a batch whose one item is unreadable: that item fails
        assert response.json()["results"][0]["errors"][0]["message"] == "not valid UTF-8"
    else:
        assert response.status_code in {400, 422}, response.text[:200]

"""Every response carries the security headers: pages, API answers, errors, static files."""

from pathlib import Path

import httpx
import pytest
from litestar.testing import AsyncTestClient

from ingest_service.app import FRONTEND_DIST, create_app
from ingest_service.security_headers import CONTENT_SECURITY_POLICY
from ingest_service.settings import IntakeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from tests.ingest.apps import TestClient
from tests.ingest.clicks import seed_click

pytestmark = pytest.mark.anyio


def _assert_secured(headers: httpx.Headers, policy: str = CONTENT_SECURITY_POLICY) -> None:
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("referrer-policy") == "strict-origin-when-cross-origin"
    assert headers.get("content-security-policy") == policy


async def test_api_answers_and_errors_are_secured(
    client: TestClient,
) -> None:
    responses = [
        await client.post("/clicks", json=seed_click()),
        await client.post("/clicks", content=b"{", headers={"content-type": "application/json"}),
        await client.get("/health"),
        await client.get("/no-such-page"),
        await client.delete("/clicks"),
        await client.get("/schema/openapi.json"),  # no read token: 401
    ]
    assert [r.status_code for r in responses] == [202, 400, 200, 404, 405, 401]
    for response in responses:
        _assert_secured(response.headers)


def test_policy_allows_only_own_scripts_and_no_framing() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.skipif(
    not (FRONTEND_DIST / "index.html").is_file(), reason="the frontend is built by `make test`"
)
async def test_built_frontend_is_served_secured_and_needs_no_inline_code(
    settings: IntakeSettings, sqlite_store: SQLiteClickStore
) -> None:
    html = (FRONTEND_DIST / "index.html").read_text()
    # The policy forbids inline scripts and styles: the build must not emit any.
    for inline in ("<script>", "<style", " style="):
        assert inline not in html
    assert "<script" in html  # the app's own module, by src
    app = create_app(settings, sqlite_store, static_dir=FRONTEND_DIST)
    async with AsyncTestClient(app=app) as client:
        page = await client.get("/")
        assert page.status_code == 200
        _assert_secured(page.headers)
        for asset in sorted(Path(FRONTEND_DIST, "assets").iterdir())[:2]:
            response = await client.get(f"/assets/{asset.name}")
            assert response.status_code == 200
            _assert_secured(response.headers)

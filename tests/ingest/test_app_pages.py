"""A page of the single-page demo app, reloaded or opened from a link, gets the app."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from ingest_service.app import create_app
from ingest_service.settings import IntakeSettings
from ingest_service.store.sqlite import SQLiteClickStore

pytestmark = pytest.mark.anyio
INDEX = "<!doctype html><title>demo</title><div id=root></div>"


@pytest.fixture
async def client(
    settings: IntakeSettings, sqlite_store: SQLiteClickStore, tmp_path: Path
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    static = tmp_path / "dist"
    (static / "assets").mkdir(parents=True)
    (static / "index.html").write_text(INDEX)
    (static / "assets" / "app.js").write_text("console.log(1)")
    app = create_app(settings, sqlite_store, static_dir=static)
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


@pytest.mark.parametrize(
    "path", ["/pricing", "/checkout?plan=pro", "/signup/", "/pricing#plans", "/a/deeper/page"]
)
async def test_a_page_of_the_app_is_the_app(client: AsyncTestClient[Litestar], path: str) -> None:
    response = await client.get(path, headers={"Accept": "text/html"})

    assert response.status_code == 200, response.text
    assert response.text == INDEX
    assert response.headers["content-type"].startswith("text/html")


async def test_head_of_a_page_is_the_app_without_its_body(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.head("/pricing")

    assert response.status_code == 200
    assert response.content == b""


async def test_files_are_served_and_missing_files_and_api_paths_stay_404(
    client: AsyncTestClient[Litestar],
) -> None:
    assert (await client.get("/assets/app.js")).text == "console.log(1)"
    assert (await client.get("/")).text == INDEX
    for path in ["/assets/missing.js", "/favicon.ico", "/api/dashboard/nothing-here"]:
        response = await client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json", path

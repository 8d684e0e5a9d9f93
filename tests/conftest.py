"""Fixtures shared by the tests: settings on a temporary dir, a real SQLite store, Chromium."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from playwright.sync_api import Browser, sync_playwright

from ingest_service.app import create_app
from ingest_service.settings import IntakeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from tests.servers import CHROMIUM, CHROMIUM_FLAGS


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, one per test module.

    Never for the whole session: Playwright's sync API keeps an event loop running in
    this thread, and the async tests of later modules would find it there.
    """
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(tmp_path: Path) -> IntakeSettings:
    return IntakeSettings(data_dir=tmp_path / "data")


@pytest.fixture
def sqlite_store(settings: IntakeSettings) -> Iterator[SQLiteClickStore]:
    store = SQLiteClickStore(settings.store_path)
    store.setup()
    yield store
    store.close()


@pytest.fixture
async def client(
    settings: IntakeSettings, sqlite_store: SQLiteClickStore
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    app = create_app(settings, sqlite_store, static_dir=None)
    async with AsyncTestClient(app=app) as test_client:
        yield test_client

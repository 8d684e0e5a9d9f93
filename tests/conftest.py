"""Fixtures shared by every test: settings on a temporary data dir, a real SQLite store."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from ingest_service.app import create_app
from ingest_service.settings import Settings
from ingest_service.store.sqlite import SQLiteClickStore


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def sqlite_store(settings: Settings) -> Iterator[SQLiteClickStore]:
    store = SQLiteClickStore(settings.store_path)
    store.setup()
    yield store
    store.close()


@pytest.fixture
async def client(
    settings: Settings, sqlite_store: SQLiteClickStore
) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    app = create_app(settings, sqlite_store, static_dir=None)
    async with AsyncTestClient(app=app) as test_client:
        yield test_client

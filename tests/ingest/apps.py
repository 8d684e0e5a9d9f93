"""Test clients of the ingest app built with chosen settings."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.testing import AsyncTestClient

from ingest_service.app import create_app
from ingest_service.settings import IntakeSettings
from ingest_service.store import ClickStore

TestClient = AsyncTestClient[Litestar]


@asynccontextmanager
async def app_client(settings: IntakeSettings, store: ClickStore) -> AsyncIterator[TestClient]:
    app = create_app(settings, store, static_dir=None)
    async with AsyncTestClient(app=app) as client:
        yield client

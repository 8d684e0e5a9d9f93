"""The app with the dashboard mounted, on a tmp store whose lake holds the seeded clicks."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from ingest_service.app import create_app
from ingest_service.settings import ServeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from orchestration.dashboard import dashboard_routers
from orchestration.dashboard.journeys import JourneyFigures
from orchestration.funnels import configured_funnels
from orchestration.resources import lake_access

READ_TOKEN = "correct-horse-battery-staple"
OTHER_TOKEN = "second-reader-token-0042"
NOW = datetime(2026, 3, 20, 12, 30, 30, tzinfo=UTC)
# The funnels the repository ships, as `make run` counts them.
FUNNELS_FILE = Path(__file__).parents[2] / "funnels.toml"
# The tests' requests pass through one trusted proxy, which names the client.
FROM_INTERNET = {"X-Forwarded-For": "203.0.113.7"}


def dashboard_settings(directory: Path) -> ServeSettings:
    return ServeSettings(
        data_dir=directory / "data",
        funnels_file=FUNNELS_FILE,
        trusted_proxies=1,
        read_tokens=(READ_TOKEN, OTHER_TOKEN),
    )


@pytest.fixture
def settings(tmp_path: Path) -> ServeSettings:
    return dashboard_settings(tmp_path)


@pytest.fixture
def pages_dir(tmp_path: Path) -> Path:
    pages = tmp_path / "dist"
    pages.mkdir()
    (pages / "dashboard.html").write_text("<title>the dashboard</title>")
    (pages / "dashboard-login.html").write_text("<title>the sign-in form</title>")
    return pages


@pytest.fixture
def dashboard_app(
    settings: ServeSettings, sqlite_store: SQLiteClickStore, pages_dir: Path
) -> Litestar:
    routers = dashboard_routers(
        settings,
        JourneyFigures.with_funnels(lake_access(settings), configured_funnels(settings)),
        pages_dir=pages_dir,
        clock=lambda: NOW,
    )
    return create_app(settings, sqlite_store, extra_handlers=routers, static_dir=None)


@pytest.fixture
async def reader(dashboard_app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """A client with a read token."""
    async with AsyncTestClient(app=dashboard_app) as client:
        client.headers.update({"Authorization": f"Bearer {READ_TOKEN}"})
        yield client

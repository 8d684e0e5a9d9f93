"""Fixtures of the browser tests: the real ingest service and Debian's headless Chromium."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Geolocation

from tests.e2e.ingest_process import IngestService, running_service
from tests.servers import REPO

BERLIN = Geolocation(latitude=52.520008, longitude=13.404954, accuracy=12.0)


@pytest.fixture(scope="session")
def built_frontend() -> Path:
    dist = REPO / "frontend" / "dist"
    if not (dist / "index.html").is_file() or not (dist / "tracker.js").is_file():
        pytest.fail("frontend/dist is not built: run `make frontend`")
    return dist


@pytest.fixture(scope="module")
def ingest_server(
    tmp_path_factory: pytest.TempPathFactory, built_frontend: Path
) -> Iterator[IngestService]:
    """The service with default settings, started once per module."""
    with running_service(tmp_path_factory.mktemp("ingest") / "data") as service:
        yield service


@pytest.fixture
def rate_limited_service(tmp_path: Path, built_frontend: Path) -> Iterator[IngestService]:
    """The service allowing each client 20 clicks a minute: a burst of 20, then one every 3 s."""
    with running_service(tmp_path / "data", CLICKSTREAM_RATE_LIMIT="20") as service:
        yield service


@pytest.fixture
def ingest_service(ingest_server: IngestService) -> IngestService:
    earlier_ids = {row["id"] for row in ingest_server.stored_events()}
    return IngestService(
        ingest_server.base_url, ingest_server.data_dir, ingest_server.started_on, earlier_ids
    )


@pytest.fixture
def browser_context(browser: Browser, ingest_service: IngestService) -> Iterator[BrowserContext]:
    """A fresh profile (empty localStorage) in Berlin, with the position allowed.

    Closed only after the test: closing it earlier could cancel a beacon still in flight.
    """
    context = browser.new_context(
        base_url=ingest_service.base_url,
        geolocation=BERLIN,
        permissions=["geolocation"],
        viewport={"width": 1280, "height": 720},
        locale="de-DE",
        timezone_id="Europe/Berlin",
    )
    try:
        yield context
    finally:
        context.close()

"""The ingest service as the browser tests see it: a running server and what it stored."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from ingest_service.settings import StoreSettings
from ingest_service.store import open_store
from tests.servers import serving


@dataclass
class IngestService:
    """The running service, seen from one test: clicks stored before the test are left out."""

    base_url: str
    data_dir: Path
    started_on: date
    earlier_ids: set[str] = field(default_factory=set)

    def stored_clicks(self) -> list[dict[str, Any]]:
        """The clicks (page views left out) stored since this view was made."""
        return [row for row in self.stored_events() if row["event_type"] == "click"]

    def stored_events(self) -> list[dict[str, Any]]:
        """The events stored since this view was made, read through the store's interface."""
        store = open_store(StoreSettings.from_env({"CLICKSTREAM_DATA_DIR": str(self.data_dir)}))
        try:
            days = _days(self.started_on, datetime.now(UTC).date())
            rows = [
                row for day in days for batch in store.read_day(day) for row in batch.to_pylist()
            ]
        finally:
            store.close()
        return [row for row in rows if row["id"] not in self.earlier_ids]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@contextmanager
def running_service(data_dir: Path, **settings: str) -> Iterator[IngestService]:
    """`clickstream serve` on a free port with the given CLICKSTREAM_* settings, then stopped."""
    started_on = datetime.now(UTC).date()
    with serving(data_dir, settings=settings) as server:
        yield IngestService(server.base_url, data_dir, started_on)

"""The click store as a resource: the pipeline reads what the ingest service wrote."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from ingest_service.settings import StoreSettings
from ingest_service.store import ClickStore, open_store


class ClickStoreResource(dg.ConfigurableResource):  # type: ignore[type-arg]
    """Opens the configured store (SQLite, or DynamoDB in aws mode) for the length of a step."""

    env: str = "local"
    data_dir: str
    dynamodb_table: str = "clickstream-clicks"
    retention_days: int = 400

    @classmethod
    def from_settings(cls, settings: StoreSettings) -> "ClickStoreResource":
        return cls(
            env=settings.env,
            data_dir=str(settings.data_dir),
            dynamodb_table=settings.dynamodb_table,
            retention_days=settings.retention_days,
        )

    @contextmanager
    def open(self) -> Iterator[ClickStore]:
        settings = StoreSettings(
            env="aws" if self.env == "aws" else "local",
            data_dir=Path(self.data_dir),
            dynamodb_table=self.dynamodb_table,
            retention_days=self.retention_days,
        )
        store = open_store(settings)
        try:
            yield store
        finally:
            store.close()

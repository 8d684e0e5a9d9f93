"""Click stores: SQLite by default, DynamoDB in aws mode. Chosen here, and only here."""

from ingest_service.settings import StoreSettings
from ingest_service.store.base import ClickStore, ErasedClicks, StoreUnavailable

__all__ = ["ClickStore", "ErasedClicks", "StoreUnavailable", "open_store"]


def open_store(settings: StoreSettings) -> ClickStore:
    if settings.env == "aws":
        from ingest_service.store.dynamodb import DynamoDBClickStore

        return DynamoDBClickStore(
            table_name=settings.dynamodb_table, retention_days=settings.retention_days
        )
    from ingest_service.store.sqlite import SQLiteClickStore

    return SQLiteClickStore(settings.store_path)

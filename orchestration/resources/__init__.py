"""Pipeline resources, each an interface with a local and an AWS implementation.

`build_resources` is the one place that picks the implementations for a mode.
"""

from collections.abc import Callable

import dagster as dg

from ingest_service.settings import Settings
from orchestration.resources.alerts import Alerter, LocalAlerter
from orchestration.resources.catalog import Catalog, LocalCatalog
from orchestration.resources.lake import Lake, LocalLake, WrittenPartition
from orchestration.resources.query_engine import DuckDBQueryEngine, QueryEngine
from orchestration.resources.store import ClickStoreResource
from orchestration.resources.trigger_queue import TriggerQueue

__all__ = [
    "Alerter",
    "Catalog",
    "ClickStoreResource",
    "Lake",
    "QueryEngine",
    "WrittenPartition",
    "build_resources",
]

Resources = dict[str, dg.ConfigurableResource]  # type: ignore[type-arg]


def catalog_path(settings: Settings) -> str:
    return str(settings.data_dir / "catalog.sqlite3")


def _local(settings: Settings) -> Resources:
    return {
        "store": ClickStoreResource.from_settings(settings),
        "lake": LocalLake(root=settings.lake_root),
        "catalog": LocalCatalog(path=catalog_path(settings)),
        "query_engine": DuckDBQueryEngine(catalog_path=catalog_path(settings)),
        "alerter": LocalAlerter(
            log_path=str(settings.alert_log_path), webhook_url=settings.alert_webhook_url
        ),
        "trigger_queue": TriggerQueue(queue_url=settings.trigger_queue_url),
    }


def _aws(settings: Settings) -> Resources:
    # The AWS implementations import boto3: loaded only when that mode is chosen.
    from orchestration.resources.aws import aws_resources

    return aws_resources(settings)


_BUILDERS: dict[str, Callable[[Settings], Resources]] = {"local": _local, "aws": _aws}


def build_resources(settings: Settings) -> Resources:
    """The resources of the configured mode, by the keys the assets ask for."""
    return _BUILDERS[settings.env](settings)

"""Outside systems, each an interface with a local and an AWS implementation.

`_MODES` is the one place that picks the implementations for a mode. Each piece is built
on demand and imports only its own implementation, so the dashboard loads neither Dagster
nor, on AWS, DuckDB, and no command builds an alerter it does not use.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest_service.settings import Env, LakeSettings, PipelineSettings
from orchestration.resources.catalog import Catalog
from orchestration.resources.lake import Lake, WrittenPartition
from orchestration.resources.query_engine import QueryEngine

if TYPE_CHECKING:
    from orchestration.resources.alerts import Alerter

__all__ = ["Catalog", "Lake", "LakeAccess", "QueryEngine", "WrittenPartition", "alerter"]


@dataclass(frozen=True, kw_only=True)
class LakeAccess:
    """The lake, its catalog and the SQL engine over it: what every reader of the lake uses."""

    lake: Lake
    catalog: Catalog
    query_engine: QueryEngine


def catalog_path(settings: LakeSettings) -> str:
    return str(settings.data_dir / "catalog.sqlite3")


def _local_lake(settings: LakeSettings) -> LakeAccess:
    from orchestration.resources.catalog import LocalCatalog
    from orchestration.resources.duckdb_engine import DuckDBQueryEngine
    from orchestration.resources.lake import LocalLake

    return LakeAccess(
        lake=LocalLake(root=settings.lake_root),
        catalog=LocalCatalog(path=catalog_path(settings)),
        query_engine=DuckDBQueryEngine(catalog_path=catalog_path(settings)),
    )


def _local_alerter(settings: PipelineSettings) -> "Alerter":
    from orchestration.resources.alerts import LocalAlerter

    return LocalAlerter(
        log_path=str(settings.alert_log_path), webhook_url=settings.alert_webhook_url
    )


def _aws_lake(settings: LakeSettings) -> LakeAccess:
    from orchestration.resources.aws import aws_lake

    return aws_lake(settings)


def _aws_alerter(settings: PipelineSettings) -> "Alerter":
    from orchestration.resources.aws import aws_alerter

    return aws_alerter(settings)


@dataclass(frozen=True)
class _Mode:
    lake_access: Callable[[LakeSettings], LakeAccess]
    alerter: Callable[[PipelineSettings], "Alerter"]


_MODES: dict[Env, _Mode] = {
    "local": _Mode(lake_access=_local_lake, alerter=_local_alerter),
    "aws": _Mode(lake_access=_aws_lake, alerter=_aws_alerter),
}


def lake_access(settings: LakeSettings) -> LakeAccess:
    return _MODES[settings.env].lake_access(settings)


def alerter(settings: PipelineSettings) -> "Alerter":
    return _MODES[settings.env].alerter(settings)

"""`clicks_export`: each day's clicks from the store to its Parquet partition in the lake."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import dagster as dg

from ingest_service.contract import CLICK_SCHEMA
from ingest_service.store import ClickStore
from orchestration.partitions import days_of
from orchestration.resources.catalog import Catalog
from orchestration.resources.lake import CLICKS_TABLE, Lake, WrittenPartition
from orchestration.resources.query_engine import QueryEngine
from orchestration.resources.store import ClickStoreResource

# Rows per record batch read from the store and written as a Parquet row group:
# bounds the export's memory whatever the size of the day.
BATCH_ROWS = 65_536


@dataclass(frozen=True)
class ExportedDay:
    day: date
    written: WrittenPartition
    store_count: int


# The catalog tells the checks which earlier days the query engine can read as history.
ExportChecks = Callable[
    [Sequence[ExportedDay], Lake, QueryEngine, Catalog], Iterable[dg.AssetCheckResult]
]


def export_day(store: ClickStore, lake: Lake, day: date) -> ExportedDay:
    """Replaces the day's partition with the store's clicks, streamed batch by batch."""
    written = lake.write_partition(
        CLICKS_TABLE, day, store.read_day(day, batch_rows=BATCH_ROWS), CLICK_SCHEMA
    )
    return ExportedDay(day=day, written=written, store_count=store.count_day(day))


def export_metadata(exported: Sequence[ExportedDay]) -> dict[str, int | str]:
    metadata: dict[str, int | str] = {
        "rows": sum(e.written.rows for e in exported),
        "bytes": sum(e.written.bytes for e in exported),
        "days": len(exported),
    }
    if len(exported) == 1:
        metadata["uri"] = exported[0].written.uri
    return metadata


def build_export_asset(
    partitions: dg.PartitionsDefinition,
    check_specs: Sequence[dg.AssetCheckSpec] = (),
    run_checks: ExportChecks | None = None,
) -> dg.AssetsDefinition:
    """The export asset; data-quality checks travel with it (`check_specs`, `run_checks`)."""

    @dg.asset(
        name="clicks_export",
        group_name="lake",
        partitions_def=partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        check_specs=list(check_specs),
        kinds={"parquet"},
    )
    def clicks_export(
        context: dg.AssetExecutionContext,
        store: ClickStoreResource,
        lake: dg.ResourceParam[Lake],
        query_engine: dg.ResourceParam[QueryEngine],
        catalog: dg.ResourceParam[Catalog],
    ) -> dg.MaterializeResult:  # type: ignore[type-arg]
        """Every click the store received on the UTC day, once, as one Parquet file per day:
        `clicks/year=YYYY/month=MM/day=DD/dynamodb_export.parquet` (the contract's columns)."""
        with store.open() as click_store:
            exported = [export_day(click_store, lake, day) for day in days_of(context)]
        checks = list(run_checks(exported, lake, query_engine, catalog)) if run_checks else []
        return dg.MaterializeResult(metadata=export_metadata(exported), check_results=checks)

    return clicks_export

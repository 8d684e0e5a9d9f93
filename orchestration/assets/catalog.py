"""`clicks_catalog`: the catalog's `clicks` table, one partition per exported day."""

from collections.abc import Sequence
from datetime import date

import dagster as dg

from ingest_service.contract import CLICK_SCHEMA
from orchestration.partitions import days_of
from orchestration.resources.catalog import Catalog
from orchestration.resources.lake import CLICKS_TABLE, Lake, location_of


def register_days(catalog: Catalog, lake: Lake, table: str, days: Sequence[date]) -> None:
    """Points the table's partitions at the lake's files; registering again changes nothing."""
    for day in days:
        catalog.add_partition(table, day, location_of(lake.partition_uri(table, day)))


def build_catalog_asset(partitions: dg.PartitionsDefinition) -> dg.AssetsDefinition:
    @dg.asset(
        name="clicks_catalog",
        group_name="lake",
        partitions_def=partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        deps=["clicks_export"],
        kinds={"catalog"},
    )
    def clicks_catalog(
        context: dg.AssetExecutionContext,
        catalog: dg.ResourceParam[Catalog],
        lake: dg.ResourceParam[Lake],
    ) -> dg.MaterializeResult:  # type: ignore[type-arg]
        """The `clicks` table of the catalog: the export's columns plus the partition keys
        year, month, day (strings). SQL reads the lake by this name."""
        days = days_of(context)
        catalog.ensure_table(CLICKS_TABLE, CLICK_SCHEMA, lake.table_uri(CLICKS_TABLE))
        register_days(catalog, lake, CLICKS_TABLE, days)
        return dg.MaterializeResult(metadata={"table": CLICKS_TABLE, "days": len(days)})

    return clicks_catalog

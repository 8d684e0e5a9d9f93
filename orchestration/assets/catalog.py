"""The catalog's `clicks` table: one partition per published day."""

from collections.abc import Sequence
from datetime import date

from ingest_service.contract import CLICK_SCHEMA
from orchestration.resources.catalog import Catalog
from orchestration.resources.lake import CLICKS_TABLE, Lake, location_of


def register_days(catalog: Catalog, lake: Lake, table: str, days: Sequence[date]) -> None:
    """Points the table's partitions at the lake's files; registering again changes nothing."""
    for day in days:
        catalog.add_partition(table, day, location_of(lake.partition_uri(table, day)))


def register_clicks(catalog: Catalog, lake: Lake, days: Sequence[date]) -> None:
    """The export's table in the catalog, with the days' partitions."""
    catalog.ensure_table(CLICKS_TABLE, CLICK_SCHEMA, lake.table_uri(CLICKS_TABLE))
    register_days(catalog, lake, CLICKS_TABLE, days)

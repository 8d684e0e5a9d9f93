"""The catalog's `clicks` table, and `places` beside it: one partition per published day."""

from collections.abc import Sequence
from datetime import date

from ingest_service.contract import CLICK_SCHEMA
from orchestration.assets.regions import PLACES_SCHEMA
from orchestration.resources.catalog import Catalog
from orchestration.resources.lake import CLICKS_TABLE, PLACES_TABLE, Lake, location_of


def register_days(catalog: Catalog, lake: Lake, table: str, days: Sequence[date]) -> None:
    """Points the table's partitions at the lake's files; registering again changes nothing."""
    for day in days:
        catalog.add_partition(table, day, location_of(lake.partition_uri(table, day)))


def register_clicks(catalog: Catalog, lake: Lake, days: Sequence[date]) -> None:
    """The export's tables in the catalog, with the days' partitions. Beside `clicks`,
    `places`: each day's coordinates with their country and region, which
    `clicks_by_region` joins."""
    catalog.ensure_table(CLICKS_TABLE, CLICK_SCHEMA, lake.table_uri(CLICKS_TABLE))
    register_days(catalog, lake, CLICKS_TABLE, days)
    catalog.ensure_table(PLACES_TABLE, PLACES_SCHEMA, lake.table_uri(PLACES_TABLE))
    # A day exported before places were has none: its coordinates count as the client's
    # own place until the day is exported again.
    placed = set(lake.partition_days(PLACES_TABLE))
    register_days(catalog, lake, PLACES_TABLE, [day for day in days if day in placed])

"""The one partitioning of the pipeline: UTC days from the configured start date."""

from datetime import date

import dagster as dg

DAY_FORMAT = "%Y-%m-%d"
# The tags that make one run of a range of days (the UI's Materialize of a range).
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def daily_partitions(start: date) -> dg.DailyPartitionsDefinition:
    return dg.DailyPartitionsDefinition(
        start_date=start.strftime(DAY_FORMAT), timezone="UTC", fmt=DAY_FORMAT
    )


def partition_range_tags(first: date, last: date) -> dict[str, str]:
    """The tags of one run over the days from first to last."""
    return {RANGE_START_TAG: first.isoformat(), RANGE_END_TAG: last.isoformat()}


def days_of(context: dg.AssetExecutionContext) -> list[date]:
    """The days a step materializes: one, or a whole range in a single-run backfill."""
    return sorted(date.fromisoformat(key) for key in context.partition_keys)

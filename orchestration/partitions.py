"""The one partitioning of the pipeline: UTC days from the configured start date."""

from datetime import date

import dagster as dg

DAY_FORMAT = "%Y-%m-%d"


def daily_partitions(start: date) -> dg.DailyPartitionsDefinition:
    return dg.DailyPartitionsDefinition(
        start_date=start.strftime(DAY_FORMAT), timezone="UTC", fmt=DAY_FORMAT
    )


def days_of(context: dg.AssetExecutionContext) -> list[date]:
    """The days a step materializes: one, or a whole range in a single-run backfill."""
    return sorted(date.fromisoformat(key) for key in context.partition_keys)

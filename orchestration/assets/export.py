"""The export of each day's clicks, written, audited, then published.

A day is staged from the store, audited there by the checks, and published to its
catalogued location (`clicks/year=YYYY/month=MM/day=DD/dynamodb_export.parquet`) only
when every blocking check passed. A held day keeps its previous published file, or none.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from ingest_service.contract import CLICK_SCHEMA
from ingest_service.store import ClickStore
from orchestration.checks.outcome import CheckOutcome
from orchestration.checks.registry import CHECKS
from orchestration.resources.lake import CLICKS_TABLE, Lake, StagedPartition, WrittenPartition

# Rows per record batch read from the store and written as a Parquet row group:
# bounds the export's memory whatever the size of the day.
BATCH_ROWS = 65_536


@dataclass(frozen=True)
class StagedDay:
    day: date
    staged: StagedPartition
    store_count: int


@dataclass(frozen=True)
class ExportedDay:
    """A day's audit, and its published file: None when a blocking check held it back."""

    day: date
    outcomes: list[CheckOutcome]
    published: WrittenPartition | None


# Audits one staged day at a time, in day order; it keeps what it needs of earlier days.
Audit = Callable[[StagedDay], list[CheckOutcome]]


def stage_day(store: ClickStore, lake: Lake, day: date) -> StagedDay:
    """Writes the store's clicks of the day to its staging location, batch by batch."""
    batches = store.read_day(day, batch_rows=BATCH_ROWS)
    staged = lake.stage_partition(CLICKS_TABLE, day, batches, CLICK_SCHEMA)
    return StagedDay(day=day, staged=staged, store_count=store.count_day(day))


def blocked(outcomes: Sequence[CheckOutcome]) -> list[CheckOutcome]:
    return [
        outcome for outcome in outcomes if CHECKS[outcome.check].blocking and not outcome.passed
    ]


def export_day(store: ClickStore, lake: Lake, day: date, audit: Audit) -> ExportedDay:
    """Write, audit, publish one day; a day that fails a blocking check is discarded."""
    # Also removes what a run of this day that crashed before publishing left staged.
    lake.discard_staged(CLICKS_TABLE, day)
    staged = stage_day(store, lake, day)
    outcomes = audit(staged)
    if blocked(outcomes):
        lake.discard_staged(CLICKS_TABLE, day)
        return ExportedDay(day=day, outcomes=outcomes, published=None)
    return ExportedDay(day=day, outcomes=outcomes, published=publish_day(lake, staged))


def publish_day(lake: Lake, staged: StagedDay) -> WrittenPartition:
    """Moves the staged day to its catalogued location."""
    return lake.publish(staged.staged)

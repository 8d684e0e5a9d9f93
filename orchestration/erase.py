"""`clickstream erase`: one visitor's clicks out of the store and out of every lake partition.

The lake keeps days the store may already have expired, so every partition of the clicks
table is checked, not only the days the store named. A partition that held the visitor
is rewritten through the lake's atomic write; the others are left untouched. Run again,
it finds nothing and changes nothing.
"""

import functools
from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from ingest_service.settings import DataSettings
from ingest_service.store import ErasedClicks, open_store
from orchestration.progress import progress
from orchestration.resources import lake_access
from orchestration.resources.lake import CLICKS_TABLE, Lake


@dataclass(frozen=True)
class VisitorIds:
    anonymous_id: str | None = None
    session_id: str | None = None

    def matches(self, table: pa.Table) -> pa.ChunkedArray:
        """Which rows belong to the visitor (a null id never matches)."""
        masks = [
            pc.equal(table[column], value)
            for column, value in (
                ("anonymous_id", self.anonymous_id),
                ("session_id", self.session_id),
            )
            if value is not None
        ]
        return pc.fill_null(functools.reduce(pc.or_kleene, masks), False)


@dataclass(frozen=True)
class ErasedFromLake:
    per_day: dict[date, int]


def erase_visitor(
    settings: DataSettings, visitor: VisitorIds
) -> tuple[ErasedClicks, ErasedFromLake]:
    store = open_store(settings)
    try:
        from_store = store.erase(anonymous_id=visitor.anonymous_id, session_id=visitor.session_id)
    finally:
        store.close()
    return from_store, erase_from_lake(lake_access(settings).lake, visitor)


def erase_from_lake(lake: Lake, visitor: VisitorIds) -> ErasedFromLake:
    per_day: dict[date, int] = {}
    days = lake.partition_days(CLICKS_TABLE)
    with progress("erase: lake partitions", len(days)) as bar:
        for day in days:
            partition = lake.read_partition(CLICKS_TABLE, day)
            mask = visitor.matches(partition)
            removed = pc.sum(mask).as_py() or 0
            if removed:
                kept = partition.filter(pc.invert(mask))
                lake.write_partition(CLICKS_TABLE, day, kept, partition.schema)
                per_day[day] = removed
            bar.advance(1)
    return ErasedFromLake(per_day)


def describe(from_store: ErasedClicks, from_lake: ErasedFromLake) -> str:
    days = ", ".join(day.isoformat() for day in from_store.days) or "none"
    lines = [f"store: removed {from_store.count:,} click(s) (days: {days})"]
    if from_lake.per_day:
        total = sum(from_lake.per_day.values())
        lines.append(
            f"lake: removed {total:,} click(s), rewrote {len(from_lake.per_day)} partition(s):"
        )
        lines += [
            f"  {day.isoformat()}: {count:,}" for day, count in sorted(from_lake.per_day.items())
        ]
    else:
        lines.append("lake: no partition held them")
    return "\n".join(lines)

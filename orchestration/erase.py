"""`clickstream erase`: one visitor's clicks out of the store and out of every copy made of them.

The lake keeps days the store may already have expired, so every partition of the clicks
table is checked, not only the days the store named. A partition that held the visitor
is rewritten through the lake's atomic write; the others are left untouched. The summary
tables of those days are computed again from what is left (so a page or button only the
visitor clicked leaves them; the funnels by the configured steps), with their months'
compacted copies, and so are the days' places (so a place only the visitor was at leaves
them); the replaced objects' earlier versions are deleted (a versioned S3 bucket keeps
them), and so are the query engine's stored results (Athena keeps each as a file); and
the lake's change mark moves, so a running dashboard drops the figures it cached. Run
again, it finds nothing and changes nothing.
"""

import functools
from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from ingest_service.settings import DataSettings
from ingest_service.store import ErasedClicks, open_store
from orchestration.assets.regions import publish_places
from orchestration.assets.summary_tables import SUMMARIES, publish_summaries
from orchestration.funnels import FunnelConfig, FunnelConfigError, configured_funnels
from orchestration.progress import progress
from orchestration.resources import LakeAccess, lake_access
from orchestration.resources.lake import CLICKS_TABLE, PLACES_TABLE, Lake, compacted_table


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
    # Summary tables recomputed (daily and compacted), and earlier object versions deleted.
    summary_days: tuple[date, ...] = ()
    summary_months: tuple[date, ...] = ()
    old_versions: int = 0
    # The recomputed partitions' failed checks: published all the same.
    failed_checks: tuple[str, ...] = ()


def erase_visitor(
    settings: DataSettings, visitor: VisitorIds
) -> tuple[ErasedClicks, ErasedFromLake]:
    funnels = configured_funnels(settings)
    if funnels.error:
        # Checked first: the days' summaries could not all be recounted, and a second
        # erase, finding nothing, would never recount them.
        raise FunnelConfigError(f"{funnels.error}; fix the funnel file, then erase")
    store = open_store(settings)
    try:
        from_store = store.erase(anonymous_id=visitor.anonymous_id, session_id=visitor.session_id)
    finally:
        store.close()
    return from_store, erase_from_lake(lake_access(settings), visitor, funnels)


def erase_from_lake(
    access: LakeAccess, visitor: VisitorIds, funnels: FunnelConfig
) -> ErasedFromLake:
    lake = access.lake
    per_day = _erase_from_clicks(lake, visitor)
    if not per_day:
        return ErasedFromLake(per_day)
    summary_days, summary_months, failed = _recompute_summaries(access, sorted(per_day), funnels)
    # Recomputing the summaries rewrote their days' places; a day with places but no
    # summary (its summaries were never written, or failed after its places) still has
    # the visitor's coordinates in them.
    placed = set(lake.partition_days(PLACES_TABLE)) - set(summary_days)
    publish_places(lake, access.catalog, [day for day in sorted(per_day) if day in placed])
    rewritten = [(table, day) for table in (CLICKS_TABLE, PLACES_TABLE) for day in per_day]
    for summary in SUMMARIES:
        rewritten += [(summary.name, day) for day in summary_days]
        rewritten += [(compacted_table(summary.name), month) for month in summary_months]
    old_versions = sum(lake.drop_old_versions(table, day) for table, day in rewritten)
    access.query_engine.drop_results()
    lake.mark_changed()
    return ErasedFromLake(per_day, summary_days, summary_months, old_versions, failed)


def _erase_from_clicks(lake: Lake, visitor: VisitorIds) -> dict[date, int]:
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
    return per_day


def _recompute_summaries(
    access: LakeAccess, days: list[date], funnels: FunnelConfig
) -> tuple[tuple[date, ...], tuple[date, ...], tuple[str, ...]]:
    """The summaries of the days that have them, from the clicks left; their months too;
    and the checks that failed on them. A partition failing its check is published even
    so: holding it back would keep the erased visitor in its previous version."""
    tables = set(access.catalog.tables())
    summarized = tuple(
        day
        for day in days
        if any(
            summary.name in tables and day in access.catalog.partitions(summary.name)
            for summary in SUMMARIES
        )
    )
    published = publish_summaries(
        summarized, access.query_engine, access.lake, access.catalog, funnels, hold_failing=False
    )
    failed = tuple(
        f"{name} {day}: {outcome.check}: {outcome.found}"
        for name, day, outcome in published.outcomes
        if not outcome.passed
    )
    return summarized, tuple(sorted({day.replace(day=1) for day in summarized})), failed


def describe(from_store: ErasedClicks, from_lake: ErasedFromLake) -> str:
    days = ", ".join(day.isoformat() for day in from_store.days) or "none"
    lines = [f"store: removed {from_store.count:,} click(s) (days: {days})"]
    lines += [f"  {note}" for note in from_store.notes]
    if not from_lake.per_day:
        lines.append("lake: no partition held them")
        return "\n".join(lines)
    total = sum(from_lake.per_day.values())
    lines.append(
        f"lake: removed {total:,} click(s), rewrote {len(from_lake.per_day)} partition(s):"
    )
    lines += [f"  {day.isoformat()}: {count:,}" for day, count in sorted(from_lake.per_day.items())]
    if from_lake.summary_days:
        days = ", ".join(day.isoformat() for day in from_lake.summary_days)
        months = ", ".join(f"{month:%Y-%m}" for month in from_lake.summary_months)
        lines.append(
            f"summaries: recomputed {len(SUMMARIES)} table(s) for {days}"
            f" and their compacted copies for {months}"
        )
    lines += [f"  check failed (published all the same): {f}" for f in from_lake.failed_checks]
    if from_lake.old_versions:
        lines.append(f"lake: deleted {from_lake.old_versions:,} earlier object version(s)")
    lines.append("query results kept by the engine: deleted")
    lines.append("dashboard: the lake's change mark moved; cached figures are dropped")
    return "\n".join(lines)

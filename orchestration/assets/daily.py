"""The daily lake as one step: export, catalog and summary tables, decided day by day.

One step, so that a range run can publish the days that pass and hold the ones that
fail: Dagster's output of a step materializes every partition of its range, so each
published day is reported with its own materialization instead, and each check result
is attached to its day. A held day gets its failed blocking checks, no materialization,
and fails the step at its end (after the other days are published), so the run fails
and the UI shows exactly the held days failed.
"""

from collections.abc import Generator, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date

import dagster as dg

from ingest_service.store import ClickStore
from orchestration.assets.catalog import register_clicks
from orchestration.assets.export import export_day
from orchestration.assets.journey_tables import FUNNELS
from orchestration.assets.summary_tables import SUMMARIES, publish_summaries
from orchestration.checks.export_run import StagedDayAudit
from orchestration.checks.registry import CHECKS
from orchestration.checks.specs import export_check_specs, journey_check_specs, to_evaluation
from orchestration.funnels import FunnelConfig
from orchestration.partitions import days_of
from orchestration.resources.catalog import Catalog
from orchestration.resources.lake import CLICKS_TABLE, Lake
from orchestration.resources.query_engine import QueryEngine
from orchestration.resources.store import ClickStoreResource
from orchestration.resources.transient import TRANSIENT_RETRIES, retried_only_when_transient

EXPORT_KEY = dg.AssetKey("clicks_export")
CATALOG_KEY = dg.AssetKey("clicks_catalog")
# One run at a time rewrites a month's compacted partitions (see dagster.yaml).
DAILY_POOL = "summaries"

DailyEvent = dg.AssetMaterialization | dg.AssetCheckEvaluation


def _spec(
    key: dg.AssetKey | str,
    description: str,
    group: str,
    kind: str,
    partitions: dg.PartitionsDefinition,
    deps: Sequence[dg.AssetKey] = (),
) -> dg.AssetSpec:
    # Skippable: a held day is not materialized, so no output may be required.
    return dg.AssetSpec(
        key,
        description=description,
        group_name=group,
        kinds={kind},
        deps=deps,
        partitions_def=partitions,
        skippable=True,
    )


def _specs(partitions: dg.PartitionsDefinition) -> list[dg.AssetSpec]:
    export = (
        "Every click the store received on the UTC day, once, as one Parquet file per day: "
        "`clicks/year=YYYY/month=MM/day=DD/dynamodb_export.parquet` (the contract's columns). "
        "Published only when the day's blocking checks pass."
    )
    catalog = (
        "The `clicks` table of the catalog: the export's columns plus the partition keys "
        "year, month, day (strings). SQL reads the lake by this name."
    )
    return [
        _spec(EXPORT_KEY, export, "lake", "parquet", partitions),
        _spec(CATALOG_KEY, catalog, "lake", "catalog", partitions, [EXPORT_KEY]),
        *(
            _spec(s.name, s.description, "summaries", "parquet", partitions, [CATALOG_KEY])
            for s in SUMMARIES
        ),
    ]


def _materialized(
    key: dg.AssetKey | str, days: Sequence[date], metadata: Mapping[str, int | str]
) -> Iterator[DailyEvent]:
    for day in days:
        yield dg.AssetMaterialization(asset_key=key, partition=day.isoformat(), metadata=metadata)


@dataclass
class _Held:
    """The days a run held back, and those of them whose failed checks were reported."""

    days: list[date] = field(default_factory=list)
    reported: set[date] = field(default_factory=set)


def _export(
    days: Sequence[date],
    checks: AbstractSet[dg.AssetCheckKey],
    click_store: ClickStore,
    lake: Lake,
    audit: StagedDayAudit,
) -> Generator[DailyEvent, None, _Held]:
    held = _Held()
    for day in days:
        exported = export_day(click_store, lake, day, audit)
        for outcome in exported.outcomes:
            if dg.AssetCheckKey(EXPORT_KEY, outcome.check) in checks:
                if CHECKS[outcome.check].blocking and not outcome.passed:
                    held.reported.add(day)
                yield to_evaluation(outcome, EXPORT_KEY, day)
        if exported.published is None:
            held.days.append(day)
        else:
            written = exported.published
            metadata: dict[str, int | str] = {"rows": written.rows, "bytes": written.bytes}
            metadata["uri"] = written.uri
            yield from _materialized(EXPORT_KEY, [day], metadata)
    return held


def build_daily_assets(
    partitions: dg.PartitionsDefinition, funnels: FunnelConfig
) -> dg.AssetsDefinition:
    """`funnels`: the funnel file as read when the definitions load. A wrong one leaves
    the funnels table as it was and fails the step with its error, after the other
    tables are written."""

    @dg.multi_asset(
        name="daily_lake",
        specs=_specs(partitions),
        check_specs=[*export_check_specs(EXPORT_KEY, partitions), *journey_check_specs(partitions)],
        can_subset=True,
        backfill_policy=dg.BackfillPolicy.single_run(),
        pool=DAILY_POOL,
        retry_policy=TRANSIENT_RETRIES,
    )
    def daily_lake(
        context: dg.AssetExecutionContext,
        store: ClickStoreResource,
        lake: dg.ResourceParam[Lake],
        query_engine: dg.ResourceParam[QueryEngine],
        catalog: dg.ResourceParam[Catalog],
    ) -> Iterator[DailyEvent]:
        days = days_of(context)
        selected = context.selected_asset_keys
        held = _Held()
        with retried_only_when_transient():
            if EXPORT_KEY in selected:
                audit = StagedDayAudit(lake, query_engine, catalog, days[0])
                with store.open() as click_store:
                    checks = context.selected_asset_check_keys
                    held = yield from _export(days, checks, click_store, lake, audit)
            in_lake = set(lake.partition_days(CLICKS_TABLE))
            ready = [day for day in days if day not in held.days and day in in_lake]
            # With a wrong funnel file, the funnels are left out; the step fails below.
            summaries = [s for s in SUMMARIES if dg.AssetKey(s.name) in selected]
            if CATALOG_KEY in selected or summaries:
                # The summaries read the clicks through the catalog.
                register_clicks(catalog, lake, ready)
            if CATALOG_KEY in selected:
                yield from _materialized(CATALOG_KEY, ready, {"table": CLICKS_TABLE})
            published = publish_summaries(ready, query_engine, lake, catalog, funnels, summaries)
            for name, per_day in published.written.items():
                for day, location in per_day.items():
                    yield from _materialized(name, [day], {"location": location})
            checks = context.selected_asset_check_keys
            held_silently = []
            for name, day, outcome in published.outcomes:
                if dg.AssetCheckKey(dg.AssetKey(name), outcome.check) in checks:
                    yield to_evaluation(outcome, dg.AssetKey(name), day)
                elif not outcome.passed:
                    held_silently.append(f"{name} {day}: {outcome.found}")
        absent = [day for day in days if day not in held.days and day not in in_lake]
        unexplained = [day for day in held.days if day not in held.reported] + absent
        if unexplained:
            # Failed blocking checks fail the step by themselves; these days have none.
            listed = ", ".join(day.isoformat() for day in unexplained)
            raise dg.Failure(
                description=f"no published clicks for {listed}: materialize clicks_export "
                "with its checks for these days",
                allow_retries=False,
            )
        if held_silently:
            # Held by a check this run does not report (it was left out of the selection).
            raise dg.Failure(
                f"held back by their checks: {'; '.join(held_silently)}", allow_retries=False
            )
        if funnels.error and dg.AssetKey(FUNNELS) in selected:
            # A retry reads the same file: only a fix and a re-run can help.
            raise dg.Failure(
                f"funnels not computed, the funnel file is wrong: {funnels.error}",
                allow_retries=False,
            )

    return daily_lake

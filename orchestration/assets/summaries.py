"""The summary tables as one multi-asset: one step, one query per table over the range."""

from collections.abc import Iterator

import dagster as dg

from orchestration.assets.summary_tables import SUMMARIES
from orchestration.assets.summary_tables import materialize_summary as materialize
from orchestration.partitions import days_of
from orchestration.resources.catalog import Catalog
from orchestration.resources.lake import Lake
from orchestration.resources.query_engine import QueryEngine

SUMMARIES_POOL = "summaries"


def build_summary_assets(partitions: dg.PartitionsDefinition) -> dg.AssetsDefinition:
    specs = [
        dg.AssetSpec(
            summary.name,
            description=summary.description,
            group_name="summaries",
            deps=["clicks_catalog"],
            partitions_def=partitions,
            kinds={"parquet"},
            skippable=True,
        )
        for summary in SUMMARIES
    ]

    @dg.multi_asset(
        name="summary_tables",
        specs=specs,
        can_subset=True,
        backfill_policy=dg.BackfillPolicy.single_run(),
        # One run at a time rewrites a month's compacted partition (see dagster.yaml).
        pool=SUMMARIES_POOL,
    )
    def summary_tables(
        context: dg.AssetExecutionContext,
        query_engine: dg.ResourceParam[QueryEngine],
        lake: dg.ResourceParam[Lake],
        catalog: dg.ResourceParam[Catalog],
    ) -> Iterator[dg.MaterializeResult]:  # type: ignore[type-arg]
        days = days_of(context)
        for summary in SUMMARIES:
            key = dg.AssetKey(summary.name)
            if key not in context.selected_asset_keys:
                continue
            written = materialize(summary, days, query_engine, lake, catalog)
            yield dg.MaterializeResult(
                asset_key=key,
                metadata={"rows": sum(w.rows for w in written.values()), "days": len(days)},
            )

    return summary_tables

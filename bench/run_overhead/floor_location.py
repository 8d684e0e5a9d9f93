"""Dagster's floor: one daily asset that does nothing, launched the same ways as the pipeline.
What a run costs that no code of this project can take away."""

import warnings
from datetime import date

import dagster as dg

from orchestration.partitions import daily_partitions

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=dg.BetaWarning)

    @dg.asset(
        partitions_def=daily_partitions(date(2026, 1, 1)),
        backfill_policy=dg.BackfillPolicy.single_run(),
    )
    def nothing() -> None:
        """Does nothing, for every day of the range at once."""


defs = dg.Definitions(
    assets=[nothing],
    jobs=[dg.define_asset_job("daily_pipeline_job", selection=[nothing])],
    executor=dg.in_process_executor,
)

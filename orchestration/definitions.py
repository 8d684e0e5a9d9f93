"""The Dagster code location: one Definitions, merged from each domain's pieces.

Settings are read when Dagster loads the location (`defs`), not at import, so tests
build definitions from their own settings with `build_definitions`.
"""

import warnings

import dagster as dg

from ingest_service.settings import PipelineSettings
from orchestration.assets.daily import build_daily_assets
from orchestration.funnels import configured_funnels
from orchestration.partitions import daily_partitions
from orchestration.quality import FRESHNESS_CHECK_KEY, quality_definitions
from orchestration.resources.pipeline import pipeline_resources
from orchestration.schedules import build_nightly_schedule
from orchestration.sensors.trigger_queue import build_trigger_queue_sensor

PIPELINE_GROUPS = ("lake", "summaries")


def pipeline_definitions(settings: PipelineSettings) -> dg.Definitions:
    """Export, catalog and summaries, the job over them all, and its nightly schedule."""
    partitions = daily_partitions(settings.start_date)
    daily_job = dg.define_asset_job(
        "daily_pipeline_job",
        # The freshness check runs on its own schedule, at the deadline, not with each day.
        selection=dg.AssetSelection.groups(*PIPELINE_GROUPS)
        - dg.AssetSelection.checks(FRESHNESS_CHECK_KEY),
        description="Export, catalog and summarize days of clicks.",
    )
    # One of the two triggers runs the nights: the schedule, or the queue when configured.
    queue_configured = settings.trigger_queue_url is not None
    return dg.Definitions(
        assets=[build_daily_assets(partitions, configured_funnels(settings))],
        jobs=[daily_job],
        sensors=[build_trigger_queue_sensor(daily_job.name, settings.start_date, queue_configured)],
        schedules=[
            build_nightly_schedule(
                daily_job.name,
                settings.start_date,
                settings.schedule_cron,
                running_by_default=not queue_configured,
            )
        ],
    )


def build_definitions(
    settings: PipelineSettings, executor: dg.ExecutorDefinition = dg.in_process_executor
) -> dg.Definitions:
    """The code location. Its runs execute their steps in the run's own process: the
    multiprocess executor started a Python process per step, Dagster imported each time
    (about 20 s a step on a busy 2-core machine), for steps that run one after the other
    anyway. `executor` lets a benchmark measure the other one.
    """
    # Single-run backfills (a year in one run) need `backfill_policy`, which Dagster 1.13
    # still calls beta. Every process that loads the location (webserver, daemon, code
    # server, each run) would print that warning, and nobody could act on it.
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning
        )
        return dg.Definitions.merge(
            pipeline_definitions(settings),
            quality_definitions(settings),
            dg.Definitions(resources=pipeline_resources(settings).by_key(), executor=executor),
        )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(PipelineSettings.from_env())

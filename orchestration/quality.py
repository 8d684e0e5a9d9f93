"""The quality domain's piece of the code location: alert sensors and the freshness check."""

import dagster as dg

from ingest_service.settings import PipelineSettings
from orchestration.checks.freshness import FRESHNESS_CHECK
from orchestration.checks.freshness_check import build_freshness_check
from orchestration.sensors.check_alerts import build_check_alerts_sensor
from orchestration.sensors.run_alerts import build_run_alerts_sensor

EXPORT_ASSET_KEY = dg.AssetKey("clicks_export")
FRESHNESS_CHECK_KEY = dg.AssetCheckKey(EXPORT_ASSET_KEY, FRESHNESS_CHECK)


def quality_definitions(settings: PipelineSettings) -> dg.Definitions:
    freshness_check, freshness_schedule = build_freshness_check(
        EXPORT_ASSET_KEY, settings.freshness_hour
    )
    return dg.Definitions(
        asset_checks=[freshness_check],
        schedules=[freshness_schedule],
        sensors=[
            build_check_alerts_sensor(settings.dagster_url),
            build_run_alerts_sensor(settings.dagster_url),
        ],
    )

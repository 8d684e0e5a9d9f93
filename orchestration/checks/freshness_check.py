"""The freshness check on `clicks_export` and the schedule that runs it at the deadline.

Dagster 1.13 marks its own freshness-check builders as superseded (they warn) and its
freshness policies are not partition-aware; this check looks for yesterday's partition.
"""

from datetime import UTC, datetime

import dagster as dg

from orchestration.checks.freshness import FRESHNESS_CHECK, expected_day, freshness
from orchestration.checks.runbook import REMEDIES
from orchestration.checks.specs import to_check_result


def build_freshness_check(
    asset_key: dg.AssetKey, freshness_hour: int
) -> tuple[dg.AssetChecksDefinition, dg.ScheduleDefinition]:
    @dg.asset_check(
        asset=asset_key,
        name=FRESHNESS_CHECK,
        description=f"Yesterday's partition is materialized by {freshness_hour:02d}:00 UTC.",
    )
    def freshness_check(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        now = datetime.now(UTC)
        day = expected_day(now, freshness_hour)
        records = context.instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=asset_key, asset_partitions=[str(day)]), limit=1
        ).records
        materialized_at = datetime.fromtimestamp(records[0].timestamp, UTC) if records else None
        outcome = freshness(now, freshness_hour, materialized_at)
        return to_check_result(outcome, str(day), REMEDIES[FRESHNESS_CHECK])

    schedule = dg.ScheduleDefinition(
        name="freshness_schedule",
        cron_schedule=f"0 {freshness_hour} * * *",
        execution_timezone="UTC",
        target=dg.AssetSelection.checks(freshness_check),
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
    return freshness_check, schedule

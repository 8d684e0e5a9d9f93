"""The freshness check on `clicks_export` and the schedule that runs it at the deadline.

Dagster 1.13 marks its own freshness-check builders as superseded (they warn) and its
freshness policies are not partition-aware; this check looks for yesterday's partition.
It judges only in the runs of its own schedule: selected along with the export in a
backfill, a manual run or a re-run, it does not run (the UI shows it skipped), so those
never page on-call about freshness.
"""

from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg

from orchestration.checks.freshness import FRESHNESS_CHECK, expected_day, freshness
from orchestration.checks.registry import CHECKS
from orchestration.checks.specs import to_check_result

FRESHNESS_SCHEDULE = "freshness_schedule"
SCHEDULE_TAG = "dagster/schedule_name"


def build_freshness_check(
    asset_key: dg.AssetKey, freshness_hour: int
) -> tuple[dg.AssetChecksDefinition, dg.ScheduleDefinition]:
    spec = dg.AssetCheckSpec(
        FRESHNESS_CHECK,
        asset=asset_key,
        description=f"{CHECKS[FRESHNESS_CHECK].description} Deadline {freshness_hour:02d}:00 UTC.",
    )

    @dg.multi_asset_check(specs=[spec], can_subset=True, name=FRESHNESS_CHECK)
    def freshness_check(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
        if context.run.tags.get(SCHEDULE_TAG) != FRESHNESS_SCHEDULE:
            context.log.info(f"freshness is judged only by {FRESHNESS_SCHEDULE}: not run here")
            return
        now = datetime.now(UTC)
        day = expected_day(now, freshness_hour)
        records = context.instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=asset_key, asset_partitions=[str(day)]), limit=1
        ).records
        materialized_at = datetime.fromtimestamp(records[0].timestamp, UTC) if records else None
        yield to_check_result(freshness(now, freshness_hour, materialized_at), str(day))

    schedule = dg.ScheduleDefinition(
        name=FRESHNESS_SCHEDULE,
        cron_schedule=f"0 {freshness_hour} * * *",
        execution_timezone="UTC",
        target=dg.AssetSelection.checks(dg.AssetCheckKey(asset_key, FRESHNESS_CHECK)),
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
    return freshness_check, schedule

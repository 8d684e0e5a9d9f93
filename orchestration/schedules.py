"""The nightly run: yesterday's partition, shortly after the UTC day has closed."""

from datetime import UTC, date, timedelta

import dagster as dg


def build_nightly_schedule(
    job_name: str, start: date, cron: str, *, running_by_default: bool = True
) -> dg.ScheduleDefinition:
    """On by default; off when the EventBridge trigger queue is configured to run the days."""
    status = (
        dg.DefaultScheduleStatus.RUNNING if running_by_default else dg.DefaultScheduleStatus.STOPPED
    )

    @dg.schedule(
        name="nightly_schedule",
        cron_schedule=cron,
        job_name=job_name,
        execution_timezone="UTC",
        default_status=status,
    )
    def nightly_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
        """Materializes yesterday (UTC); the run key makes a repeated tick a no-op."""
        yesterday = context.scheduled_execution_time.astimezone(UTC).date() - timedelta(days=1)
        if yesterday < start:
            return dg.SkipReason(f"{yesterday} is before the first partition, {start}")
        key = yesterday.isoformat()
        return dg.RunRequest(run_key=key, partition_key=key)

    return nightly_schedule

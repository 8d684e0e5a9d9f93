"""Alerts for failed runs; Dagster's run-status cursor sends each run's failure once.

A run whose only failures are blocking checks is left to the check alerts, which say
which check and what it found: one failure, one alert.
"""

from typing import Protocol

import dagster as dg

from orchestration.checks.runbook import RUN_FAILED
from orchestration.partitions import RANGE_END_TAG, RANGE_START_TAG
from orchestration.resources.alerts import Alert, Alerter, run_url

CHECK_FAILED_ERROR = "DagsterAssetCheckFailedError"


def partition_of(tags: dict[str, str]) -> str | None:
    if "dagster/partition" in tags:
        return tags["dagster/partition"]
    if RANGE_START_TAG in tags:
        return f"{tags[RANGE_START_TAG]}...{tags.get(RANGE_END_TAG, '')}"
    return None


class StepError(Protocol):
    """The part of Dagster's serialized error read here."""

    @property
    def message(self) -> str: ...
    @property
    def cause(self) -> "StepError | None": ...


def root_cause(error: StepError) -> str:
    """The first line of the innermost error: Dagster wraps the user's error in its own."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip().splitlines()[0]


def failure_alert(context: dg.RunFailureSensorContext, dagster_url: str) -> Alert | None:
    """The run's alert, or None when failed blocking checks explain the whole failure."""
    failures = [
        (event.step_key, event.step_failure_data.error)
        for event in context.get_step_failure_events()
    ]
    errors = [error for _, error in failures if error is not None]
    if errors and all(error.cls_name == CHECK_FAILED_ERROR for error in errors):
        return None
    run = context.dagster_run
    steps = sorted({step for step, _ in failures if step})
    assets = sorted(key.to_user_string() for key in run.asset_selection or ())
    return Alert(
        asset=", ".join(steps or assets) or run.job_name,
        partition=partition_of(dict(run.tags)),
        check=None,
        severity="ERROR",
        found="; ".join(map(root_cause, errors)) or context.failure_event.message or "run failed",
        what_to_do=RUN_FAILED,
        run_url=run_url(dagster_url, run.run_id),
    )


def build_run_alerts_sensor(dagster_url: str) -> dg.SensorDefinition:
    @dg.run_failure_sensor(
        name="run_failure_alerts_sensor",
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Sends one alert per failed run (not for runs stopped by a blocking check).",
    )
    def run_failure_alerts_sensor(
        context: dg.RunFailureSensorContext, alerter: Alerter
    ) -> dg.SkipReason | None:
        alert = failure_alert(context, dagster_url)
        if alert is None:
            return dg.SkipReason("failed blocking checks: alerted by check_alerts_sensor")
        alerter.send(alert)
        return None

    return run_failure_alerts_sensor

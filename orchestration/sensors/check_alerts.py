"""Alerts for failed asset checks, WARN and non-blocking ones included.

Dagster OSS notifies nobody about check results. This sensor follows the runs that have
finished (succeeded or failed) after the storage ids in its cursor, sends one alert per
asset and day whose checks failed in a run, and moves the cursor past them: never sent twice.
It follows run ends rather than evaluations because the default SQLite storage shards
events by run, so only run status events have one ordered id across runs.
"""

import dagster as dg
import msgspec

from orchestration.checks.runbook import RUN_FAILED
from orchestration.resources.alerts import Alert, Alerter, run_url

# Finished runs read per tick and per outcome; the rest wait for the next tick, in order.
PAGE_SIZE = 50
PARTITION_TAG = "dagster/partition"
RUN_ENDS = (dg.DagsterEventType.RUN_SUCCESS, dg.DagsterEventType.RUN_FAILURE)


class CheckAlertsCursor(msgspec.Struct, frozen=True):
    """Dagster's own cursor strings (storage ids) of the last run end seen, per outcome."""

    after_success: str | None = None
    after_failure: str | None = None


def read_cursor(raw: str | None) -> CheckAlertsCursor:
    return msgspec.json.decode(raw, type=CheckAlertsCursor) if raw else CheckAlertsCursor()


def evaluation_of(record: dg.EventLogRecord) -> dg.AssetCheckEvaluation:
    event = record.event_log_entry.dagster_event
    data = event.event_specific_data if event else None
    assert isinstance(data, dg.AssetCheckEvaluation), "the filter asks for evaluations only"
    return data


def partition_of(evaluation: dg.AssetCheckEvaluation, run: dg.DagsterRun) -> str | None:
    """The day checked: the evaluation's own partition, else the one its run names."""
    if evaluation.partition is not None:
        return evaluation.partition
    labelled = evaluation.metadata.get("partition")
    return str(labelled.value) if labelled else run.tags.get(PARTITION_TAG)


def alert_for(failed: list[dg.AssetCheckEvaluation], run: dg.DagsterRun, dagster_url: str) -> Alert:
    """One alert for an asset's failed checks on one day: a broken day often fails several."""
    # ERROR first: its remedy is the one to follow.
    failed = sorted(failed, key=lambda e: e.severity != dg.AssetCheckSeverity.ERROR)
    remedy = dict(failed[0].metadata).get("what_to_do")
    return Alert(
        asset=failed[0].asset_key.to_user_string(),
        partition=partition_of(failed[0], run),
        check=", ".join(e.check_name for e in failed),
        severity=failed[0].severity.value,
        found="; ".join(f"{e.check_name}: {e.description or 'did not pass'}" for e in failed),
        what_to_do=str(remedy.value) if remedy else RUN_FAILED,
        run_url=run_url(dagster_url, run.run_id),
    )


def alerts_for_run(
    instance: dg.DagsterInstance, run: dg.DagsterRun, dagster_url: str
) -> list[Alert]:
    by_day: dict[tuple[dg.AssetKey, str | None], list[dg.AssetCheckEvaluation]] = {}
    for evaluation in failed_evaluations(instance, run.run_id):
        key = (evaluation.asset_key, partition_of(evaluation, run))
        by_day.setdefault(key, []).append(evaluation)
    return [alert_for(failed, run, dagster_url) for failed in by_day.values()]


def failed_evaluations(instance: dg.DagsterInstance, run_id: str) -> list[dg.AssetCheckEvaluation]:
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    return [e for e in map(evaluation_of, records) if not e.passed]


def build_check_alerts_sensor(dagster_url: str) -> dg.SensorDefinition:
    @dg.sensor(
        name="check_alerts_sensor",
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Alerts on failed asset checks (ERROR and WARN), once per asset, day and run.",
    )
    def check_alerts_sensor(
        context: dg.SensorEvaluationContext, alerter: Alerter
    ) -> dg.SensorResult:
        cursor = read_cursor(context.cursor)
        after = {RUN_ENDS[0]: cursor.after_success, RUN_ENDS[1]: cursor.after_failure}
        runs_seen = alerts_sent = 0
        for run_end in RUN_ENDS:
            page = context.instance.fetch_run_status_changes(
                run_end, limit=PAGE_SIZE, cursor=after[run_end], ascending=True
            )
            for record in page.records:
                run = context.instance.get_run_by_id(record.run_id)
                if run is None:  # deleted since it finished
                    continue
                for alert in alerts_for_run(context.instance, run, dagster_url):
                    alerter.send(alert)
                    alerts_sent += 1
            runs_seen += len(page.records)
            if page.records:
                after[run_end] = page.cursor
        if not runs_seen:
            return dg.SensorResult(skip_reason="no run has finished since the last tick")
        context.log.info(f"{alerts_sent} alert(s) from {runs_seen} finished run(s)")
        next_cursor = CheckAlertsCursor(after[RUN_ENDS[0]], after[RUN_ENDS[1]])
        return dg.SensorResult(cursor=msgspec.json.encode(next_cursor).decode())

    return check_alerts_sensor

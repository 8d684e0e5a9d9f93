"""run_failure_alerts_sensor: a failed run is one alert, unless blocking checks explain it."""

from pathlib import Path

import dagster as dg
import msgspec

from orchestration.resources.alerts import Alert, LocalAlerter
from orchestration.sensors.run_alerts import build_run_alerts_sensor, partition_of

SENSOR = build_run_alerts_sensor("http://127.0.0.1:3000")
PARTITIONS = dg.DailyPartitionsDefinition(start_date="2026-03-01")


def failed_run(instance: dg.DagsterInstance, blocking_check: bool) -> dg.ExecuteInProcessResult:
    @dg.asset(
        name="clicks_export",
        partitions_def=PARTITIONS,
        check_specs=[dg.AssetCheckSpec("ids_unique", asset="clicks_export", blocking=True)],
    )
    def asset() -> dg.MaterializeResult:  # type: ignore[type-arg]
        if not blocking_check:
            raise OSError("disk full while writing the partition")
        return dg.MaterializeResult(
            check_results=[dg.AssetCheckResult(check_name="ids_unique", passed=False)]
        )

    return dg.materialize(
        [asset], instance=instance, partition_key="2026-03-10", raise_on_error=False
    )


def evaluate(instance: dg.DagsterInstance, result: dg.ExecuteInProcessResult, log: Path) -> object:
    failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
    context = dg.build_run_status_sensor_context(
        sensor_name=SENSOR.name,
        dagster_event=failure,
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        resources={"alerter": LocalAlerter(log_path=str(log))},
    ).for_run_failure()
    return SENSOR(context)


def test_a_failed_step_is_one_alert_naming_its_error(
    instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    result = failed_run(instance, blocking_check=False)
    log = tmp_path / "alerts.jsonl"
    evaluate(instance, result, log)
    [line] = log.read_bytes().splitlines()
    alert = msgspec.json.decode(line, type=Alert)
    assert (alert.asset, alert.partition, alert.check) == ("clicks_export", "2026-03-10", None)
    assert "disk full while writing the partition" in alert.found
    assert alert.run_url == f"http://127.0.0.1:3000/runs/{result.run_id}"


def test_a_run_stopped_by_a_blocking_check_is_left_to_the_check_alerts(
    instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    result = failed_run(instance, blocking_check=True)
    assert isinstance(evaluate(instance, result, tmp_path / "alerts.jsonl"), dg.SkipReason)
    assert not (tmp_path / "alerts.jsonl").exists()


def test_a_range_run_names_its_range() -> None:
    tags = {
        "dagster/asset_partition_range_start": "2026-03-01",
        "dagster/asset_partition_range_end": "2026-03-31",
    }
    assert partition_of(tags) == "2026-03-01...2026-03-31"
    assert partition_of({}) is None

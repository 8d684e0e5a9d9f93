"""check_alerts_sensor: one alert per failed evaluation, whatever the cursor says.

Runs of a small asset on a SQLite instance sharded by run, as `dagster dev` keeps it.
"""

from pathlib import Path

import dagster as dg
import msgspec
import pytest

from orchestration.resources.alerts import Alert, LocalAlerter
from orchestration.sensors import check_alerts
from orchestration.sensors.check_alerts import build_check_alerts_sensor, read_cursor

SENSOR = build_check_alerts_sensor("http://127.0.0.1:3000")
PARTITIONS = dg.DailyPartitionsDefinition(start_date="2026-03-01")


def run_with(instance: dg.DagsterInstance, failing: dict[str, dg.AssetCheckSeverity]) -> str:
    """Materializes a day of an asset whose checks `failing` fail; returns the run id."""
    names = ("ids_unique", "volume_near_recent_median")

    @dg.asset(
        name="clicks_export",
        partitions_def=PARTITIONS,
        check_specs=[dg.AssetCheckSpec(n, asset="clicks_export") for n in names],
    )
    def asset() -> dg.MaterializeResult:  # type: ignore[type-arg]
        return dg.MaterializeResult(
            check_results=[
                dg.AssetCheckResult(
                    check_name=name,
                    passed=name not in failing,
                    severity=failing.get(name, dg.AssetCheckSeverity.ERROR),
                    description=f"{name} found something",
                )
                for name in names
            ]
        )

    result = dg.materialize([asset], instance=instance, partition_key="2026-03-10")
    return result.run_id


def tick(instance: dg.DagsterInstance, log: Path, cursor: str | None) -> dg.SensorResult:
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"alerter": LocalAlerter(log_path=str(log))}
    )
    result = SENSOR(context)
    assert isinstance(result, dg.SensorResult)
    return result


def alerts(log: Path) -> list[Alert]:
    if not log.exists():
        return []
    return [msgspec.json.decode(line, type=Alert) for line in log.read_bytes().splitlines()]


def test_without_cursor_every_failure_so_far_is_sent(
    instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    run_id = run_with(instance, {"ids_unique": dg.AssetCheckSeverity.ERROR})
    result = tick(instance, tmp_path / "alerts.jsonl", None)
    [alert] = alerts(tmp_path / "alerts.jsonl")
    assert (alert.check, alert.partition, alert.severity) == ("ids_unique", "2026-03-10", "ERROR")
    assert alert.found == "ids_unique: ids_unique found something"
    assert alert.run_url == f"http://127.0.0.1:3000/runs/{run_id}"
    assert read_cursor(result.cursor).after_success is not None


def test_a_cursor_past_every_run_sends_nothing(
    instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    run_with(instance, {"ids_unique": dg.AssetCheckSeverity.ERROR})
    first = tick(instance, tmp_path / "first.jsonl", None)
    again = tick(instance, tmp_path / "again.jsonl", first.cursor)
    assert alerts(tmp_path / "again.jsonl") == []
    assert again.cursor is None
    assert again.skip_reason is not None


def test_only_runs_after_the_cursor_are_read_warn_included(
    instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    run_with(instance, {"ids_unique": dg.AssetCheckSeverity.ERROR})
    seen = tick(instance, tmp_path / "seen.jsonl", None)
    run_with(instance, {"volume_near_recent_median": dg.AssetCheckSeverity.WARN})
    tick(instance, tmp_path / "new.jsonl", seen.cursor)
    [alert] = alerts(tmp_path / "new.jsonl")
    assert (alert.check, alert.severity) == ("volume_near_recent_median", "WARN")


def test_passing_checks_move_the_cursor_without_alerts(
    instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    run_with(instance, {})
    result = tick(instance, tmp_path / "alerts.jsonl", None)
    assert alerts(tmp_path / "alerts.jsonl") == []
    assert read_cursor(result.cursor).after_success is not None


def test_a_backlog_is_read_a_page_per_tick_without_repeats(
    instance: dg.DagsterInstance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check_alerts, "PAGE_SIZE", 1)
    for _ in range(2):
        run_with(instance, {"ids_unique": dg.AssetCheckSeverity.WARN})
    log = tmp_path / "alerts.jsonl"
    first = tick(instance, log, None)
    second = tick(instance, log, first.cursor)
    third = tick(instance, log, second.cursor)
    assert len(alerts(log)) == 2
    assert third.cursor is None


def test_checks_failing_together_make_one_alert_led_by_the_error(
    instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    run_with(
        instance,
        {
            "volume_near_recent_median": dg.AssetCheckSeverity.WARN,
            "ids_unique": dg.AssetCheckSeverity.ERROR,
        },
    )
    tick(instance, tmp_path / "alerts.jsonl", None)
    [alert] = alerts(tmp_path / "alerts.jsonl")
    assert alert.severity == "ERROR"
    assert alert.check == "ids_unique, volume_near_recent_median"

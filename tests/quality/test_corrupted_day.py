"""A corrupted day end to end: its blocking checks fail, the day is held back, and
on-call gets exactly one alert (log line and webhook POST), however often the sensors tick.
"""

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import dagster as dg
import msgspec
import pytest

from ingest_service.settings import PipelineSettings
from ingest_service.store.sqlite import SQLiteClickStore
from ingest_service.synthetic import synthetic_clicks
from orchestration.checks.contract import COORDINATES_CHECK, UNIQUE_IDS_CHECK
from orchestration.definitions import build_definitions
from orchestration.expectations import GX_SUITE_CHECK
from orchestration.resources.alerts import Alert
from tests.quality.conftest import Webhook

DAY = date(2026, 3, 10)


def corrupt(store_path: Path, day: date) -> None:
    """What the intake would refuse: the same ids twice and coordinates off the globe.

    The table is copied without its constraints first, as a restore from a dump without
    them would leave it, so the duplicates can go in.
    """
    with closing(sqlite3.connect(store_path)) as conn, conn:
        conn.executescript(
            "CREATE TABLE loose AS SELECT * FROM clicks;"
            " DROP TABLE clicks; ALTER TABLE loose RENAME TO clicks;"
        )
        day_rows = "SELECT rowid FROM clicks WHERE event_date = ? ORDER BY rowid LIMIT 3"
        conn.execute(
            f"INSERT INTO clicks SELECT * FROM clicks WHERE rowid IN ({day_rows})",
            (day.isoformat(),),
        )
        conn.execute(
            f"UPDATE clicks SET latitude = 123.4, longitude = 200.0 WHERE rowid IN ({day_rows})",
            (day.isoformat(),),
        )


@pytest.fixture
def corrupted_settings(tmp_path: Path, webhook: Webhook) -> PipelineSettings:
    settings = PipelineSettings(
        data_dir=tmp_path / "data", start_date=date(2026, 1, 1), alert_webhook_url=webhook.url
    )
    store = SQLiteClickStore(settings.store_path)
    store.setup()
    store.write(list(synthetic_clicks(DAY, 1, 300, seed=3)))
    store.close()
    corrupt(settings.store_path, DAY)
    return settings


def test_a_corrupted_day_is_stopped_and_alerted_once(
    corrupted_settings: PipelineSettings, instance: dg.DagsterInstance, webhook: Webhook
) -> None:
    defs = build_definitions(corrupted_settings)
    job = defs.resolve_job_def("daily_pipeline_job")
    result = job.execute_in_process(
        instance=instance, partition_key=DAY.isoformat(), raise_on_error=False
    )

    assert not result.success
    failed = {e.check_name for e in result.get_asset_check_evaluations() if not e.passed}
    assert failed == {UNIQUE_IDS_CHECK, COORDINATES_CHECK, GX_SUITE_CHECK}
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert materialized == set(), "a held day is neither published, catalogued nor summarized"

    repository = defs.get_repository_def()
    sensor = repository.get_sensor_def("check_alerts_sensor")
    resources = {"alerter": repository.get_top_level_resources()["alerter"]}
    cursor = None
    for _ in range(2):
        context = dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources)
        tick = sensor(context)
        assert isinstance(tick, dg.SensorResult)
        cursor = tick.cursor or cursor

    run_failure = repository.get_sensor_def("run_failure_alerts_sensor")
    failure_event = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
    run_context = dg.build_run_status_sensor_context(
        sensor_name=run_failure.name,
        dagster_event=failure_event,
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        resources=resources,
    ).for_run_failure()
    assert isinstance(run_failure(run_context), dg.SkipReason)

    lines = corrupted_settings.alert_log_path.read_bytes().splitlines()
    [alert] = [msgspec.json.decode(line, type=Alert) for line in lines]
    assert alert.asset == "clicks_export"
    assert alert.partition == DAY.isoformat()
    assert alert.severity == "ERROR"
    assert alert.check == f"{UNIQUE_IDS_CHECK}, {COORDINATES_CHECK}, {GX_SUITE_CHECK}"
    assert "3 duplicate row(s) over 3 id(s)" in alert.found
    assert alert.run_url == f"{corrupted_settings.dagster_url}/runs/{result.run_id}"
    [post] = webhook.received()
    assert str(post["text"]).startswith(f"ERROR: clicks_export [{DAY}]: check ")

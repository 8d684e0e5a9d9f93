"""Write, audit, publish: only days that pass their blocking checks reach the catalogued
location; a held day keeps its previous version; a range decides day by day."""

import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import msgspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest_service.settings import PipelineSettings
from orchestration.assets.summary_tables import SUMMARIES
from orchestration.checks.contract import COORDINATES_CHECK
from orchestration.resources.alerts import Alert
from orchestration.resources.catalog import LocalCatalog
from orchestration.resources.duckdb_engine import DuckDBQueryEngine
from orchestration.resources.lake import CLICKS_TABLE, EXPORT_FILE, STAGING, compacted_table
from tests.pipeline.conftest import FIRST_DAY, Pipeline

MIDDLE_DAY = FIRST_DAY + timedelta(days=1)
LAST_DAY = FIRST_DAY + timedelta(days=2)
CRASH = Path(__file__).with_name("crash_before_publish.py")


def put_latitude_999(settings: PipelineSettings, day: date) -> None:
    """What the intake would refuse, written into the store behind the service's back."""
    with closing(sqlite3.connect(settings.store_path)) as conn, conn:
        conn.execute(
            "UPDATE clicks SET latitude = 999 WHERE rowid ="
            " (SELECT min(rowid) FROM clicks WHERE event_date = ?)",
            (day.isoformat(),),
        )


def catalogued_file(settings: PipelineSettings, table: str, day: date) -> Path:
    catalog = LocalCatalog(path=str(settings.data_dir / "catalog.sqlite3"))
    return Path(catalog.partitions(table)[day]) / EXPORT_FILE


def staged_files(settings: PipelineSettings) -> list[Path]:
    return [path for path in (Path(settings.lake_root) / STAGING).rglob("*") if path.is_file()]


def alerts_of(pipeline: Pipeline, settings: PipelineSettings) -> list[Alert]:
    repository = pipeline.defs.get_repository_def()
    sensor = repository.get_sensor_def("check_alerts_sensor")
    resources = {"alerter": repository.get_top_level_resources()["alerter"]}
    sensor(dg.build_sensor_context(instance=pipeline.instance, resources=resources))
    if not settings.alert_log_path.exists():
        return []
    lines = settings.alert_log_path.read_bytes().splitlines()
    return [msgspec.json.decode(line, type=Alert) for line in lines]


def publish_first_day(pipeline: Pipeline, settings: PipelineSettings) -> tuple[Path, pa.Table]:
    """The day run once, cleanly: its catalogued file and the rows in it."""
    assert pipeline.materialize(FIRST_DAY).success
    published = catalogued_file(settings, CLICKS_TABLE, FIRST_DAY)
    return published, pq.read_table(published)


def test_a_corrupted_rerun_leaves_the_published_day_as_it_was(
    pipeline: Pipeline, settings: PipelineSettings
) -> None:
    published, good = publish_first_day(pipeline, settings)

    put_latitude_999(settings, FIRST_DAY)
    result = pipeline.materialize(FIRST_DAY)

    assert not result.success
    failed = {e.check_name for e in result.get_asset_check_evaluations() if not e.passed}
    assert COORDINATES_CHECK in failed
    # Independent readers: pyarrow on the catalogued file, SQL through the catalog.
    assert catalogued_file(settings, CLICKS_TABLE, FIRST_DAY) == published
    assert pq.read_table(published).equals(good)
    engine = DuckDBQueryEngine(catalog_path=str(settings.data_dir / "catalog.sqlite3"))
    [row] = engine.query("SELECT max(latitude) AS top FROM clicks").to_pylist()
    assert row["top"] <= 90
    assert staged_files(settings) == []


def test_a_range_with_a_bad_middle_day_publishes_the_others_and_alerts_once(
    pipeline: Pipeline, settings: PipelineSettings
) -> None:
    put_latitude_999(settings, MIDDLE_DAY)

    result = pipeline.materialize(FIRST_DAY, LAST_DAY)

    assert not result.success
    assert pipeline.instance.get_runs_count() == 1
    by_asset: dict[str, set[str]] = {}
    for event in result.get_asset_materialization_events():
        materialization = event.materialization
        by_asset.setdefault(materialization.asset_key.to_user_string(), set()).add(
            str(materialization.partition)
        )
    good = {FIRST_DAY.isoformat(), LAST_DAY.isoformat()}
    tables = {"clicks_export", "clicks_catalog", *(s.name for s in SUMMARIES)}
    assert by_asset == dict.fromkeys(tables, good)

    catalog = LocalCatalog(path=str(settings.data_dir / "catalog.sqlite3"))
    assert list(catalog.partitions(CLICKS_TABLE)) == [FIRST_DAY, LAST_DAY]
    for summary in SUMMARIES:
        assert list(catalog.partitions(summary.name)) == [FIRST_DAY, LAST_DAY]
        assert list(catalog.partitions(compacted_table(summary.name))) == [FIRST_DAY]

    # Each check's result is attached to its day.
    evaluations = result.get_asset_check_evaluations()
    assert {e.partition for e in evaluations} == {*good, MIDDLE_DAY.isoformat()}
    assert {e.partition for e in evaluations if not e.passed} == {MIDDLE_DAY.isoformat()}

    # What the UI shows, and so what a "failed and missing" backfill picks up.
    partitions = pipeline.defs.resolve_job_def("daily_pipeline_job").partitions_def
    assert partitions is not None
    keys = [FIRST_DAY.isoformat(), MIDDLE_DAY.isoformat(), LAST_DAY.isoformat()]
    for asset in tables:
        status = pipeline.instance.get_status_by_partition(dg.AssetKey(asset), keys, partitions)
        assert status == {
            keys[0]: dg.AssetPartitionStatus.MATERIALIZED,
            keys[1]: dg.AssetPartitionStatus.FAILED,
            keys[2]: dg.AssetPartitionStatus.MATERIALIZED,
        }, asset

    [alert] = alerts_of(pipeline, settings)
    assert alert.partition == MIDDLE_DAY.isoformat()
    assert COORDINATES_CHECK in (alert.check or "")
    assert staged_files(settings) == []


@pytest.mark.slow
@pytest.mark.timeout(600)  # a second Python process with Dagster, on a shared machine
def test_a_run_killed_between_staging_and_publish_leaves_the_published_day(
    pipeline: Pipeline, settings: PipelineSettings
) -> None:
    published, good = publish_first_day(pipeline, settings)
    with closing(sqlite3.connect(settings.store_path)) as conn, conn:
        conn.execute(
            "DELETE FROM clicks WHERE rowid = (SELECT min(rowid) FROM clicks WHERE event_date = ?)",
            (FIRST_DAY.isoformat(),),
        )

    crashed = subprocess.run(
        [sys.executable, str(CRASH), str(settings.data_dir), FIRST_DAY.isoformat()],
        capture_output=True,
        timeout=500,
    )

    assert crashed.returncode == -signal.SIGKILL, crashed.stderr.decode()[-2000:]
    assert staged_files(settings), "the run died with its day staged"
    assert pq.read_table(published).equals(good)

    assert pipeline.materialize(FIRST_DAY).success
    assert staged_files(settings) == [], "the next run of the day cleans up what was staged"
    assert pq.read_table(published).num_rows == good.num_rows - 1

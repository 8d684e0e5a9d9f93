"""Runs execute their steps in their own process, and the daily step (export, catalog,
summaries) still waits for the "summaries" pool's slot (dagster.yaml) while another run
holds it."""

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from ingest_service.settings import PipelineSettings
from ingest_service.store.sqlite import SQLiteClickStore
from orchestration.assets.daily import DAILY_POOL
from orchestration.definitions import build_definitions
from tests.pipeline.conftest import FIRST_DAY

DAILY_STEP = "daily_lake"


@pytest.fixture
def instance(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dg.DagsterInstance]:
    """The instance `make run` gives Dagster: the repository's dagster.yaml."""
    home = tmp_path / "dagster"
    home.mkdir()
    shutil.copy(Path(__file__).parents[2] / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    with dg.DagsterInstance.get() as instance:
        yield instance


def test_steps_run_in_the_runs_process_and_queued_runs_start_within_a_second(
    instance: dg.DagsterInstance, settings: PipelineSettings
) -> None:
    job = build_definitions(settings).resolve_job_def("daily_pipeline_job")

    assert job.executor_def is dg.in_process_executor
    assert isinstance(instance.run_coordinator, dg.QueuedRunCoordinator)
    assert instance.run_coordinator.dequeue_interval_seconds == 1
    assert not instance.nux_enabled  # no first-visit pop-up in the UI


@pytest.mark.slow
def test_the_daily_step_waits_while_another_run_holds_the_pool(
    instance: dg.DagsterInstance, settings: PipelineSettings, filled_store: SQLiteClickStore
) -> None:
    storage = instance.event_log_storage
    storage.initialize_concurrency_limit_to_default(DAILY_POOL)
    storage.claim_concurrency_slot(DAILY_POOL, "another-run", DAILY_STEP)
    job = build_definitions(settings).resolve_job_def("daily_pipeline_job")
    results: list[dg.ExecuteInProcessResult] = []
    run = threading.Thread(
        target=lambda: results.append(
            job.execute_in_process(instance=instance, partition_key=FIRST_DAY.isoformat())
        )
    )
    try:
        run.start()
        _wait_for_step(instance, None, dg.DagsterEventType.RUN_START)
        time.sleep(3)
        assert not _has_event(instance, DAILY_STEP, dg.DagsterEventType.STEP_START)
    finally:
        storage.free_concurrency_slots_for_run("another-run")
        run.join(120)
    assert results[0].success
    assert _has_event(instance, DAILY_STEP, dg.DagsterEventType.STEP_SUCCESS)


def _has_event(instance: dg.DagsterInstance, step: str | None, kind: dg.DagsterEventType) -> bool:
    runs = instance.get_runs(limit=1)
    return bool(runs) and any(
        event.step_key == step for event in instance.all_logs(runs[0].run_id, of_type=kind)
    )


def _wait_for_step(
    instance: dg.DagsterInstance, step: str | None, kind: dg.DagsterEventType
) -> None:
    deadline = time.monotonic() + 120
    while not _has_event(instance, step, kind):
        assert time.monotonic() < deadline, f"{step} never reached {kind}"
        time.sleep(0.2)

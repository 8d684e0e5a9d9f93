"""A range backfill launched as the UI launches it (GraphQL), carried out by the real
daemon: the whole range is one run, and every day of it is published."""

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from ingest_service.settings import PipelineSettings
from ingest_service.store.sqlite import SQLiteClickStore
from orchestration.resources.lake import CLICKS_TABLE
from orchestration.resources.pipeline import pipeline_resources
from tests.pipeline.conftest import DAYS, FIRST_DAY, dagster_env, days
from tests.servers import stop

DAGSTER_GRAPHQL = Path(sys.executable).with_name("dagster-graphql")
DAGSTER_DAEMON = Path(sys.executable).with_name("dagster-daemon")
LOCATION = ["-m", "orchestration.definitions"]
ASSETS = [
    "clicks_export", "clicks_catalog", "clicks_by_button", "clicks_by_page",
    "clicks_by_hour", "clicks_by_device", "clicks_by_region", "sessions",
]  # fmt: skip
LAUNCH = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
  }
}
"""
STATUS = """
query Status($id: String!) {
  partitionBackfillOrError(backfillId: $id) { ... on PartitionBackfill { status } }
}
"""
FINISHED = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}


def _graphql(env: dict[str, str], document: str, variables: dict[str, Any]) -> dict[str, Any]:
    command = [str(DAGSTER_GRAPHQL), *LOCATION, "-t", document, "-v", json.dumps(variables)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    # The answer is the one JSON line among the code server's log lines.
    [line] = [line for line in done.stdout.splitlines() if line.startswith('{"data"')]
    answer: dict[str, Any] = json.loads(line)
    return dict(answer["data"])


@pytest.mark.slow
@pytest.mark.timeout(900)  # a daemon, its run and GraphQL processes on a shared machine
def test_a_range_backfill_through_the_daemon_is_one_run(
    tmp_path: Path,
    settings: PipelineSettings,
    filled_store: SQLiteClickStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = dagster_env(tmp_path, settings)
    keys = [day.isoformat() for day in days(FIRST_DAY, DAYS)]
    params = {"partitionNames": keys, "assetSelection": [{"path": [key]} for key in ASSETS]}

    launched = _graphql(env, LAUNCH, {"params": params})["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched
    monkeypatch.setenv("DAGSTER_HOME", env["DAGSTER_HOME"])
    log = (tmp_path / "daemon.log").open("wb")
    daemon = subprocess.Popen(
        [str(DAGSTER_DAEMON), "run", *LOCATION],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 780
        with dg.DagsterInstance.get() as instance:
            # Cheap polls of the instance until a run has ended, then the backfill's own
            # status (each GraphQL call starts a code server).
            while not any(run.is_finished for run in instance.get_runs()):
                assert time.monotonic() < deadline, (tmp_path / "daemon.log").read_text()[-3000:]
                time.sleep(2)
        status = ""
        while status not in FINISHED and time.monotonic() < deadline:
            answer = _graphql(env, STATUS, {"id": launched["backfillId"]})
            status = answer["partitionBackfillOrError"].get("status", "")
    finally:
        stop(daemon)
        log.close()

    assert status == "COMPLETED_SUCCESS", (tmp_path / "daemon.log").read_text()[-3000:]
    with dg.DagsterInstance.get() as instance:
        [run] = instance.get_runs()
        assert run.status == dg.DagsterRunStatus.SUCCESS
        materialized = instance.get_materialized_partitions(dg.AssetKey("sessions"))
    assert materialized == set(keys)
    lake = pipeline_resources(settings).lake
    assert lake.partition_days(CLICKS_TABLE) == list(days(FIRST_DAY, DAYS))

"""Trigger messages carried out by the real daemon: a new message for a day whose run
failed runs the day again; a message delivered twice still runs once.

The daemon may not delete messages here (its IAM user is denied it, which moto's server
enforces), as when a delete fails: every message stays on the queue and comes back, and
the run key (the message id) is what keeps a repeat from running.
"""

import json
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import boto3
import dagster as dg
import httpx
import pytest

from ingest_service.settings import PipelineSettings
from ingest_service.store.sqlite import SQLiteClickStore
from orchestration.resources.lake import CLICKS_TABLE
from orchestration.resources.pipeline import pipeline_resources
from tests.pipeline.conftest import FIRST_DAY, dagster_env
from tests.pipeline.test_write_audit_publish import put_latitude_999
from tests.pipeline.trigger_location import QUEUE_URL
from tests.servers import moto_server, started

DAGSTER_DAEMON = Path(sys.executable).with_name("dagster-daemon")
REGION = "eu-west-1"
RUN_KEY = "dagster/run_key"
# Every statement the sensor needs but the delete.
READER_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "sqs:DeleteMessage*", "Resource": "*"},
    ],
}
ADMIN_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
# Daemon start, a sensor tick every 30 s, two runs, on a shared 2-core machine.
DEADLINE_S = 600


@dataclass(frozen=True)
class Queue:
    url: str
    endpoint: str
    tester: dict[str, str]  # credentials that may do anything
    reader: dict[str, str]  # the daemon's: everything but delete

    def sqs(self) -> Any:
        return boto3.client("sqs", endpoint_url=self.endpoint, region_name=REGION, **self.tester)


def _keys(iam: Any, user: str, policy: dict[str, Any]) -> dict[str, str]:
    iam.create_user(UserName=user)
    iam.put_user_policy(UserName=user, PolicyName=user, PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=user)["AccessKey"]
    return {
        "aws_access_key_id": key["AccessKeyId"],
        "aws_secret_access_key": key["SecretAccessKey"],
    }


@pytest.fixture
def queue(tmp_path: Path) -> Iterator[Queue]:
    with moto_server(tmp_path) as endpoint:
        anyone = {"aws_access_key_id": "setup", "aws_secret_access_key": "setup"}
        iam = boto3.client("iam", endpoint_url=endpoint, region_name=REGION, **anyone)
        tester, reader = _keys(iam, "tester", ADMIN_POLICY), _keys(iam, "daemon", READER_POLICY)
        sqs = boto3.client("sqs", endpoint_url=endpoint, region_name=REGION, **anyone)
        url = sqs.create_queue(QueueName="clickstream-trigger")["QueueUrl"]
        # From now on moto's server checks every request against its IAM users.
        httpx.post(f"{endpoint}/moto-api/reset-auth", content=b"0").raise_for_status()
        yield Queue(url, endpoint, tester, reader)


def _daemon_env(tmp_path: Path, settings: PipelineSettings, queue: Queue) -> dict[str, str]:
    env = dagster_env(tmp_path, settings)
    env.update(
        {QUEUE_URL: queue.url, "AWS_ENDPOINT_URL": queue.endpoint, "AWS_REGION": REGION},
        AWS_DEFAULT_REGION=REGION,
        AWS_ACCESS_KEY_ID=queue.reader["aws_access_key_id"],
        AWS_SECRET_ACCESS_KEY=queue.reader["aws_secret_access_key"],
    )
    return env


def _send(queue: Queue, day: date) -> str:
    body = json.dumps({"partition": day.isoformat()})
    message_id: str = queue.sqs().send_message(QueueUrl=queue.url, MessageBody=body)["MessageId"]
    return message_id


def _runs_finished(instance: dg.DagsterInstance, count: int, log: Path) -> list[dg.DagsterRun]:
    deadline = time.monotonic() + DEADLINE_S
    while True:
        runs = instance.get_runs()
        if len(runs) >= count and all(run.is_finished for run in runs):
            return list(reversed(runs))  # oldest first
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(1)


def _repair(settings: PipelineSettings, day: date) -> None:
    with closing(sqlite3.connect(settings.store_path)) as conn, conn:
        conn.execute(
            "UPDATE clicks SET latitude = NULL, longitude = NULL"
            " WHERE event_date = ? AND latitude = 999",
            (day.isoformat(),),
        )


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_message_after_a_failed_run_runs_the_day_again_and_a_repeat_runs_once(
    tmp_path: Path,
    settings: PipelineSettings,
    filled_store: SQLiteClickStore,
    queue: Queue,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    put_latitude_999(settings, FIRST_DAY)
    first = _send(queue, FIRST_DAY)
    # A receipt of the test's own (the message stays visible): with it, the message can
    # be made visible again later, as SQS does when a delete did not happen.
    [seen] = queue.sqs().receive_message(QueueUrl=queue.url, VisibilityTimeout=0)["Messages"]
    env = _daemon_env(tmp_path, settings, queue)
    monkeypatch.setenv("DAGSTER_HOME", env["DAGSTER_HOME"])
    log = tmp_path / "daemon.log"
    command = [str(DAGSTER_DAEMON), "run", "-m", "tests.pipeline.trigger_location"]
    # The instance's storage is created here, before the daemon opens it too.
    with dg.DagsterInstance.get() as instance, started(command, env, log, lambda: True):
        [failed] = _runs_finished(instance, 1, log)
        assert failed.status == dg.DagsterRunStatus.FAILURE
        _repair(settings, FIRST_DAY)
        # The first message again (a repeat delivery), then a new one for the same day.
        queue.sqs().change_message_visibility(
            QueueUrl=queue.url, ReceiptHandle=seen["ReceiptHandle"], VisibilityTimeout=0
        )
        rerun = _send(queue, FIRST_DAY)
        runs = _runs_finished(instance, 2, log)

    assert [run.tags[RUN_KEY] for run in runs] == [first, rerun]
    assert [run.tags["dagster/partition"] for run in runs] == [FIRST_DAY.isoformat()] * 2
    assert runs[1].status == dg.DagsterRunStatus.SUCCESS
    daemon_log = log.read_text()
    assert "trigger message not deleted" in daemon_log
    assert f'already completed with run keys: ["{first}"]' in daemon_log
    assert FIRST_DAY in pipeline_resources(settings).lake.partition_days(CLICKS_TABLE)

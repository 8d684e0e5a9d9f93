"""Athena's query engine (results, failures) and SNS alerts from the check alerts sensor."""

import dataclasses
import json
import time
from datetime import date
from typing import Any

import boto3
import dagster as dg
import pyarrow as pa
import pytest
from moto.athena.models import athena_backends
from moto.core.models import DEFAULT_ACCOUNT_ID

from ingest_service.settings import PipelineSettings
from orchestration.resources import athena, sns_alerts
from orchestration.resources.athena import AthenaQueryEngine, AthenaQueryFailed
from orchestration.resources.query_engine import Unload
from orchestration.resources.sns_alerts import AlertNotDelivered, SNSAlerter
from orchestration.sensors.check_alerts import build_check_alerts_sensor
from tests.aws.athena_double import queue_athena_results
from tests.aws.conftest import LAKE_BUCKET, REGION, subscribed_inbox
from tests.aws.hooks import Throttle
from tests.quality.test_alerter import ALERT
from tests.quality.test_check_alerts_sensor import run_with


def _engine(settings: PipelineSettings) -> AthenaQueryEngine:
    assert settings.athena_output is not None
    return AthenaQueryEngine(
        database=settings.glue_database,
        workgroup=settings.athena_workgroup,
        output_location=settings.athena_output,
        first_poll_s=0.001,
    )


def test_results_come_back_typed_without_the_header_row(aws_settings: PipelineSettings) -> None:
    expected = pa.table(
        {
            "event_date": pa.array([date(2026, 3, 10)] * 2, pa.date32()),
            "button": ["Buy now", None],
            "clicks": pa.array([3, 1], pa.int64()),
            "share": [0.75, 0.25],
        }
    )
    queue_athena_results([expected], REGION)

    assert _engine(aws_settings).query("SELECT 1").equals(expected)


def test_a_failed_query_raises_with_athenas_reason(
    aws_settings: PipelineSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = boto3.client("athena")

    def fail(parsed: dict[str, Any], **_: Any) -> None:
        parsed["QueryExecution"]["Status"].update(
            State="FAILED", StateChangeReason="COLUMN_NOT_FOUND: line 1:8: Column 'nope'"
        )

    client.meta.events.register("after-call.athena.GetQueryExecution", fail)
    monkeypatch.setattr(athena, "aws_client", lambda service: client)

    with pytest.raises(AthenaQueryFailed, match="FAILED in workgroup primary: COLUMN_NOT_FOUND"):
        _engine(aws_settings).query("SELECT nope FROM clicks")


def _athena_answering(
    monkeypatch: pytest.MonkeyPatch, state: str, reason: str | None = None
) -> list[str]:
    """Athena's client, every execution reported in `state`; returns the ids stopped."""
    client = boto3.client("athena")
    stopped: list[str] = []

    def report(parsed: dict[str, Any], **_: Any) -> None:
        status = parsed["QueryExecution"]["Status"]
        status["State"] = state
        if reason:
            status["StateChangeReason"] = reason

    def record_stop(params: dict[str, Any], **_: Any) -> None:
        stopped.append(params["QueryExecutionId"])

    client.meta.events.register("after-call.athena.GetQueryExecution", report)
    client.meta.events.register("provide-client-params.athena.StopQueryExecution", record_stop)
    monkeypatch.setattr(athena, "aws_client", lambda service: client)
    return stopped


def _started() -> list[str]:
    return list(athena_backends[DEFAULT_ACCOUNT_ID][REGION].executions)


def test_a_cancelled_unload_raises_with_its_query_id_and_reason(
    aws_settings: PipelineSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _athena_answering(monkeypatch, "CANCELLED", "Query cancelled by user")
    location = f"s3://{LAKE_BUCKET}/lake/summaries/t/year=2026/month=03/day=10/abc"

    with pytest.raises(AthenaQueryFailed) as raised:
        _engine(aws_settings).unload([Unload("SELECT 1 AS n", location)])

    (query_id,) = _started()
    assert f"Athena query {query_id} CANCELLED" in str(raised.value)
    assert "Query cancelled by user" in str(raised.value)


def test_queries_still_running_at_the_deadline_are_stopped_and_named(
    aws_settings: PipelineSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped = _athena_answering(monkeypatch, "RUNNING")
    pauses: list[float] = []
    monkeypatch.setattr(time, "sleep", pauses.append)
    engine = dataclasses.replace(_engine(aws_settings), deadline_s=0.4, max_poll_s=0.004)
    unloads = [Unload("SELECT 1 AS n", f"s3://{LAKE_BUCKET}/x/{n}") for n in range(2)]

    started = time.monotonic()
    with pytest.raises(AthenaQueryFailed, match=r"still running after 0 s.*: stopped") as raised:
        engine.unload(unloads)

    assert time.monotonic() - started < 5
    # The first started is the first late, and named; every query still running is stopped.
    assert f"Athena query {_started()[0]}" in str(raised.value)
    assert sorted(stopped) == sorted(_started())
    # Backoff: each pause twice the one before, up to the longest.
    assert pauses[:4] == [0.001, 0.002, 0.004, 0.004]


def test_a_failed_query_stops_the_others_and_starts_no_more(
    aws_settings: PipelineSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped = _athena_answering(monkeypatch, "FAILED", "HIVE_BAD_DATA: bad file")
    engine = dataclasses.replace(_engine(aws_settings), max_in_flight=2)
    unloads = [Unload("SELECT 1 AS n", f"s3://{LAKE_BUCKET}/x/{n}") for n in range(5)]

    with pytest.raises(AthenaQueryFailed, match="FAILED in workgroup primary: HIVE_BAD_DATA"):
        engine.unload(unloads)

    _, second = _started()  # two in flight; the three waiting never started
    assert stopped == [second]


def test_a_failing_check_publishes_one_sns_alert(aws_settings: PipelineSettings) -> None:
    assert aws_settings.alert_topic_arn is not None
    inbox = subscribed_inbox(aws_settings.alert_topic_arn)
    sensor = build_check_alerts_sensor(aws_settings.dagster_url)
    alerter = SNSAlerter(topic_arn=aws_settings.alert_topic_arn)

    with dg.instance_for_test() as instance:
        run_with(instance, {"ids_unique": dg.AssetCheckSeverity.ERROR})
        context = dg.build_sensor_context(instance=instance, resources={"alerter": alerter})
        sensor(context)

    received = boto3.client("sqs").receive_message(QueueUrl=inbox, MaxNumberOfMessages=10)
    [notification] = [json.loads(m["Body"]) for m in received["Messages"]]
    assert notification["Subject"] == "ERROR: clicks_export [2026-03-10]: check ids_unique"
    assert "ids_unique: ids_unique found something" in notification["Message"]
    assert "What to do:" in notification["Message"]


def _received(inbox: str) -> list[str]:
    messages = boto3.client("sqs").receive_message(QueueUrl=inbox, MaxNumberOfMessages=10)
    return [json.loads(m["Body"])["Subject"] for m in messages.get("Messages", [])]


def _refusing_sns(monkeypatch: pytest.MonkeyPatch, times: int) -> None:
    client = boto3.client("sns")
    Throttle(client, "Publish", times, service="sns")
    monkeypatch.setattr(sns_alerts, "aws_client", lambda service: client)


def test_a_refused_publish_is_retried(
    aws_settings: PipelineSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert aws_settings.alert_topic_arn is not None
    inbox = subscribed_inbox(aws_settings.alert_topic_arn)
    _refusing_sns(monkeypatch, times=2)

    SNSAlerter(topic_arn=aws_settings.alert_topic_arn, first_retry_s=0.001).send(ALERT)

    assert _received(inbox) == ["ERROR: clicks_export [2026-03-10]: check ids_unique"]


def test_a_publish_refused_every_time_fails_the_tick_and_the_next_tick_sends_it(
    aws_settings: PipelineSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert aws_settings.alert_topic_arn is not None
    inbox = subscribed_inbox(aws_settings.alert_topic_arn)
    _refusing_sns(monkeypatch, times=4)
    sensor = build_check_alerts_sensor(aws_settings.dagster_url)
    alerter = SNSAlerter(topic_arn=aws_settings.alert_topic_arn, first_retry_s=0.001)

    with dg.instance_for_test() as instance:
        run_with(instance, {"ids_unique": dg.AssetCheckSeverity.ERROR})
        context = dg.build_sensor_context(instance=instance, resources={"alerter": alerter})
        with pytest.raises(AlertNotDelivered, match="after 4 attempts"):
            sensor(context)
        assert _received(inbox) == []
        # The cursor did not move past the run: the next tick, SNS back, sends the alert.
        context = dg.build_sensor_context(
            instance=instance, cursor=context.cursor, resources={"alerter": alerter}
        )
        sensor(context)

    assert _received(inbox) == ["ERROR: clicks_export [2026-03-10]: check ids_unique"]

"""Athena's query engine (results, failures) and SNS alerts from the check alerts sensor."""

import json
from datetime import date
from pathlib import Path
from typing import Any

import boto3
import dagster as dg
import pyarrow as pa
import pytest

from ingest_service.settings import PipelineSettings
from orchestration.resources import athena
from orchestration.resources.athena import AthenaQueryEngine, AthenaQueryFailed
from orchestration.resources.sns_alerts import SNSAlerter
from orchestration.sensors.check_alerts import build_check_alerts_sensor
from tests.aws.athena_double import queue_athena_results
from tests.aws.conftest import REGION
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


def test_a_failing_check_publishes_one_sns_alert(
    aws_settings: PipelineSettings, tmp_path: Path
) -> None:
    sqs = boto3.client("sqs")
    inbox = sqs.create_queue(QueueName="on-call")["QueueUrl"]
    inbox_arn = sqs.get_queue_attributes(QueueUrl=inbox, AttributeNames=["QueueArn"])
    boto3.client("sns").subscribe(
        TopicArn=aws_settings.alert_topic_arn,
        Protocol="sqs",
        Endpoint=inbox_arn["Attributes"]["QueueArn"],
    )
    sensor = build_check_alerts_sensor(aws_settings.dagster_url)
    assert aws_settings.alert_topic_arn is not None
    alerter = SNSAlerter(topic_arn=aws_settings.alert_topic_arn)

    with dg.instance_for_test() as instance:
        run_with(instance, {"ids_unique": dg.AssetCheckSeverity.ERROR})
        context = dg.build_sensor_context(instance=instance, resources={"alerter": alerter})
        sensor(context)

    received = sqs.receive_message(QueueUrl=inbox, MaxNumberOfMessages=10)["Messages"]
    [notification] = [json.loads(m["Body"]) for m in received]
    assert notification["Subject"] == "ERROR: clicks_export [2026-03-10]: check ids_unique"
    assert "ids_unique: ids_unique found something" in notification["Message"]
    assert "What to do:" in notification["Message"]

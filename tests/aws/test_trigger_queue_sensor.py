"""The SQS trigger sensor: a run request per message, deleted after emitting; open days rejected."""

import json
from datetime import UTC, date, datetime, timedelta

import boto3
import dagster as dg
import pytest

from ingest_service.settings import PipelineSettings
from orchestration.resources.trigger_queue import TriggerQueue
from orchestration.sensors.trigger_queue import build_trigger_queue_sensor

FIRST_DAY = date(2026, 1, 1)


def _sensor() -> dg.SensorDefinition:
    return build_trigger_queue_sensor("daily_pipeline_job", FIRST_DAY, queue_configured=True)


def _send(settings: PipelineSettings, *bodies: str) -> None:
    sqs = boto3.client("sqs")
    for body in bodies:
        sqs.send_message(QueueUrl=settings.trigger_queue_url, MessageBody=body)


def _tick(settings: PipelineSettings, cursor: str | None) -> dg.SensorResult:
    queue = TriggerQueue(queue_url=settings.trigger_queue_url, visibility_timeout_s=0)
    context = dg.build_sensor_context(cursor=cursor, resources={"trigger_queue": queue})
    result = _sensor()(context)
    assert isinstance(result, dg.SensorResult)
    return result


def _left_on_queue(settings: PipelineSettings) -> int:
    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=settings.trigger_queue_url, AttributeNames=["ApproximateNumberOfMessages"]
    )
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


def _partition(day: date) -> str:
    return json.dumps({"partition": day.isoformat()})


def test_one_run_request_per_message_with_its_id_as_run_key(aws_settings: PipelineSettings) -> None:
    _send(aws_settings, _partition(date(2026, 3, 9)), _partition(date(2026, 3, 10)))

    result = _tick(aws_settings, None)

    requests = result.run_requests or []
    assert [r.partition_key for r in requests] == ["2026-03-09", "2026-03-10"]
    assert all(r.run_key and r.run_key not in ("2026-03-09", "2026-03-10") for r in requests)


def test_a_redelivered_message_keeps_its_run_key_and_a_new_one_for_the_day_does_not(
    aws_settings: PipelineSettings,
) -> None:
    # The daemon skips a run key it has seen: a redelivery runs once, a re-run runs again.
    _send(aws_settings, _partition(date(2026, 3, 10)))
    first = _tick(aws_settings, None)
    redelivered = _tick(aws_settings, None)  # not deleted yet: SQS shows it again
    _tick(aws_settings, redelivered.cursor)
    _send(aws_settings, _partition(date(2026, 3, 10)))
    rerun = _tick(aws_settings, None)

    [original] = first.run_requests or []
    assert [r.run_key for r in redelivered.run_requests or []] == [original.run_key]
    [again] = rerun.run_requests or []
    assert again.partition_key == original.partition_key
    assert again.run_key != original.run_key


def test_messages_are_deleted_in_the_tick_after_their_run_request(
    aws_settings: PipelineSettings,
) -> None:
    _send(aws_settings, _partition(date(2026, 3, 10)))

    emitting = _tick(aws_settings, None)
    # Emitted but not deleted yet: a crash now would deliver it again.
    assert _left_on_queue(aws_settings) == 1
    assert json.loads(emitting.cursor or "")["delete"]

    following = _tick(aws_settings, emitting.cursor)
    assert _left_on_queue(aws_settings) == 0
    assert following.run_requests == []
    assert json.loads(following.cursor or "") == {"delete": []}


@pytest.mark.parametrize(
    "body",
    [
        _partition(datetime.now(UTC).date()),
        _partition(datetime.now(UTC).date() + timedelta(days=1)),
        _partition(FIRST_DAY - timedelta(days=1)),
        '{"partition": "2026-3-10"}',
        '{"day": "2026-03-10"}',
        "not json",
    ],
)
def test_open_days_and_malformed_bodies_are_rejected_and_left_for_the_dead_letter_queue(
    aws_settings: PipelineSettings, body: str
) -> None:
    _send(aws_settings, body)

    first = _tick(aws_settings, None)
    second = _tick(aws_settings, first.cursor)

    assert first.run_requests == second.run_requests == []
    assert _left_on_queue(aws_settings) == 1


def test_without_a_queue_the_sensor_skips_and_is_stopped_by_default() -> None:
    sensor = build_trigger_queue_sensor("daily_pipeline_job", FIRST_DAY, queue_configured=False)
    context = dg.build_sensor_context(resources={"trigger_queue": TriggerQueue()})

    assert isinstance(sensor(context), dg.SkipReason)
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED

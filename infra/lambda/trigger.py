"""Nightly trigger: tells the pipeline, through its SQS queue, which day to build.

EventBridge invokes this just after midnight UTC. The day asked for is the one before the
event's own `time`, not before the clock, so a late or retried delivery still asks for the
same day. A manual invocation names the day instead: {"partition": "YYYY-MM-DD"}.
The message body is exactly {"partition": "YYYY-MM-DD"}; the Dagster sensor reads it.
"""

import datetime as dt
import json
import os
from typing import Any

import boto3

QUEUE_URL_VARIABLE = "CLICKSTREAM_TRIGGER_QUEUE_URL"


def partition_for(event: dict[str, Any]) -> str:
    """The UTC day to build: the event's own `partition`, else the day before its `time`."""
    if "partition" in event:
        return _checked_day(event["partition"])
    if "time" not in event:
        raise ValueError('expected a scheduled event with "time" or {"partition": "YYYY-MM-DD"}')
    fired_at = dt.datetime.fromisoformat(str(event["time"]))
    if fired_at.tzinfo is None:
        raise ValueError(f"event time {event['time']!r} has no time zone")
    return (fired_at.astimezone(dt.UTC).date() - dt.timedelta(days=1)).isoformat()


def _checked_day(value: object) -> str:
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        day = None
    if day is None or day.isoformat() != value:
        raise ValueError(f"partition {value!r} is not a day like 2024-05-01")
    return day.isoformat()


def handler(event: dict[str, Any], context: object) -> dict[str, str]:
    partition = partition_for(event)
    boto3.client("sqs").send_message(
        QueueUrl=os.environ[QUEUE_URL_VARIABLE],
        MessageBody=json.dumps({"partition": partition}),
    )
    print(json.dumps({"sent": {"partition": partition}}))
    return {"partition": partition}

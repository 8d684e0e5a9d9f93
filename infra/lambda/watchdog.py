"""Watchdog: alerts on-call when the pipeline or the intake stops, with Dagster down or not.

EventBridge invokes this every WATCH_MINUTES. Each finding is published once:
- late: the first run at or after CLICKSTREAM_FRESHNESS_HOUR (UTC) finds yesterday's
  partition of the `clicks` table missing from Glue;
- intake: the run in which the newest click counted in DynamoDB (the live view's
  per-minute counters, `minutes#<day>#<shard>`) first becomes older than
  INTAKE_GAP_MINUTES.
"""

import datetime as dt
import os
from typing import Any

import boto3

COUNTER_SHARDS = 4  # ingest_service/store/dynamodb_live.py


def _env(name: str) -> str:
    return os.environ[name]


def _minutes(name: str) -> dt.timedelta:
    return dt.timedelta(minutes=int(_env(name)))


def late_partition(now: dt.datetime) -> str | None:
    """Yesterday, when this run is the first after the freshness hour and Glue lacks it."""
    hour = dt.time(int(_env("CLICKSTREAM_FRESHNESS_HOUR")))
    deadline = dt.datetime.combine(now.date(), hour, dt.UTC)
    if not deadline <= now < deadline + _minutes("WATCH_MINUTES"):
        return None
    day = now.date() - dt.timedelta(days=1)
    glue = boto3.client("glue")
    try:
        glue.get_partition(
            DatabaseName=_env("CLICKSTREAM_GLUE_DATABASE"),
            TableName="clicks",
            PartitionValues=[f"{day:%Y}", f"{day:%m}", f"{day:%d}"],
        )
    except glue.exceptions.EntityNotFoundException:
        return day.isoformat()
    return None


def newest_click(since: dt.datetime, now: dt.datetime) -> dt.datetime | None:
    """The newest minute with a counted click between `since` and `now`, if any."""
    dynamodb = boto3.client("dynamodb")
    newest = None
    day = since.date()
    while day <= now.date():
        for shard in range(COUNTER_SHARDS):
            items = dynamodb.query(
                TableName=_env("CLICKSTREAM_DYNAMODB_TABLE"),
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues={":pk": {"S": f"minutes#{day}#{shard:02d}"}},
                ScanIndexForward=False,
                Limit=1,
            )["Items"]
            for item in items:
                hour, minute = map(int, item["id"]["S"].split(":"))
                at = dt.datetime.combine(day, dt.time(hour, minute), dt.UTC)
                newest = max(newest or at, at)
        day += dt.timedelta(days=1)
    return newest if newest and newest >= since else None


def intake_gap(now: dt.datetime) -> str | None:
    """The newest click's time, when this run is the first to find it older than the gap."""
    gap = _minutes("INTAKE_GAP_MINUTES")
    newest = newest_click(now - gap - _minutes("WATCH_MINUTES"), now)
    if newest is None or newest >= now - gap:
        return None
    return newest.isoformat()


def handler(event: dict[str, Any], context: object) -> dict[str, str]:
    now = dt.datetime.fromisoformat(str(event["time"])).astimezone(dt.UTC)
    found = {}
    if day := late_partition(now):
        found["late"] = (
            f"clicks [{day}]: not in Glue by {now:%H:%M} UTC. What to do: look for the "
            "nightly run in Dagster (is the daemon up?), else materialize the day."
        )
    if newest := intake_gap(now):
        found["intake"] = (
            f"intake: no click since {newest}. What to do: check the ingest service "
            "(ALB targets, ECS tasks, /ready) and the site's tracker."
        )
    for check, message in found.items():
        boto3.client("sns").publish(
            TopicArn=_env("CLICKSTREAM_ALERT_TOPIC_ARN"),
            Subject=f"ERROR: watchdog {check}",
            Message=message,
        )
    print(found or "all well")
    return found

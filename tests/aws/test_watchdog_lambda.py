"""The watchdog Lambda (infra/lambda) under moto: a late partition and a stale click table
each alert once."""

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import boto3
import msgspec
import pytest

from ingest_service.store import dynamodb_live
from ingest_service.store.dynamodb import DynamoDBClickStore
from ingest_service.synthetic import synthetic_clicks
from tests.aws.conftest import subscribed_inbox
from tests.infra.cfn import REPO
from tests.infra.test_trigger_lambda import load_lambda, scheduled_event

watchdog = load_lambda(REPO / "infra" / "lambda" / "watchdog.py")
DATABASE = "clickstream_watch"
TABLE = "clickstream-watch"
FRESHNESS_HOUR = 6
GAP_MINUTES = 60
WATCH_MINUTES = 15


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> str:
    """An on-call queue subscribed to the alert topic, the watchdog's settings set."""
    topic = boto3.client("sns").create_topic(Name="alerts")["TopicArn"]
    queue = subscribed_inbox(topic)
    glue = boto3.client("glue")
    glue.create_database(DatabaseInput={"Name": DATABASE})
    keys = [{"Name": key, "Type": "string"} for key in ("year", "month", "day")]
    glue.create_table(DatabaseName=DATABASE, TableInput={"Name": "clicks", "PartitionKeys": keys})
    DynamoDBClickStore(TABLE, retention_days=30).setup()
    settings = {
        "CLICKSTREAM_GLUE_DATABASE": DATABASE,
        "CLICKSTREAM_DYNAMODB_TABLE": TABLE,
        "CLICKSTREAM_ALERT_TOPIC_ARN": topic,
        "CLICKSTREAM_FRESHNESS_HOUR": str(FRESHNESS_HOUR),
        "INTAKE_GAP_MINUTES": str(GAP_MINUTES),
        "WATCH_MINUTES": str(WATCH_MINUTES),
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    return queue


def alerts(inbox: str) -> list[dict[str, Any]]:
    reply = boto3.client("sqs").receive_message(QueueUrl=inbox, MaxNumberOfMessages=10)
    return [json.loads(m["Body"]) for m in reply.get("Messages", [])]


def register(day: date) -> None:
    boto3.client("glue").create_partition(
        DatabaseName=DATABASE,
        TableName="clicks",
        PartitionInput={"Values": [f"{day:%Y}", f"{day:%m}", f"{day:%d}"]},
    )


def store_click_at(received_at: datetime) -> None:
    """One human click, through the real store (which keeps the per-minute counters)."""
    click = next(synthetic_clicks(received_at.date(), 1, 1, seed=1))
    # An id of its own: the store keeps one click per id, whatever its day.
    click = msgspec.structs.replace(
        click,
        id=str(uuid.uuid4()),
        received_at=received_at,
        event_date=received_at.date(),
        is_bot=False,
        event_type="click",
    )
    store = DynamoDBClickStore(TABLE, retention_days=30)
    store.write([click])
    store.close()


def at(day: date, hour: int, minute: int) -> dict[str, Any]:
    return scheduled_event(f"{day}T{hour:02d}:{minute:02d}:00Z")


def test_a_day_missing_from_glue_at_the_freshness_hour_is_reported_once(inbox: str) -> None:
    today = date(2026, 3, 11)

    assert watchdog.handler(at(today, FRESHNESS_HOUR - 1, 50), None) == {}
    found = watchdog.handler(at(today, FRESHNESS_HOUR, 3), None)
    assert watchdog.handler(at(today, FRESHNESS_HOUR, 18), None) == {}

    assert list(found) == ["late"]
    [alert] = alerts(inbox)
    assert alert["Subject"] == "ERROR: watchdog late"
    assert alert["Message"].startswith("clicks [2026-03-10]: not in Glue by 06:03 UTC.")


def test_a_day_in_glue_by_the_freshness_hour_is_not_reported(inbox: str) -> None:
    register(date(2026, 3, 10))

    assert watchdog.handler(at(date(2026, 3, 11), FRESHNESS_HOUR, 3), None) == {}
    assert alerts(inbox) == []


def test_the_first_run_past_the_gap_since_the_newest_click_reports_the_intake(
    inbox: str,
) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    newest = now - timedelta(minutes=GAP_MINUTES + 5)
    store_click_at(newest - timedelta(minutes=30))
    store_click_at(newest)
    event = scheduled_event(now.isoformat())
    # Yesterday is in Glue: whatever the hour of this run, only the intake is in question.
    register(now.date() - timedelta(days=1))

    found = watchdog.handler(event, None)
    later = scheduled_event((now + timedelta(minutes=WATCH_MINUTES)).isoformat())
    assert watchdog.handler(later, None) == {}

    assert list(found) == ["intake"]
    [alert] = alerts(inbox)
    assert alert["Subject"] == "ERROR: watchdog intake"
    assert alert["Message"].startswith(f"intake: no click since {newest.isoformat()}.")


def test_a_recent_click_means_the_intake_is_up(inbox: str) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    store_click_at(now - timedelta(minutes=GAP_MINUTES + 5))
    store_click_at(now - timedelta(minutes=2))
    register(now.date() - timedelta(days=1))

    assert watchdog.handler(scheduled_event(now.isoformat()), None) == {}
    assert alerts(inbox) == []


def test_the_watchdog_reads_every_counter_shard_the_store_writes() -> None:
    assert watchdog.COUNTER_SHARDS == dynamodb_live.COUNTER_SHARDS

"""Erase on the DynamoDB store, under moto: Queries per day and shard, deletes, no Scan."""

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec
import pytest
from moto import mock_aws

from ingest_service.contract import Click
from ingest_service.store.dynamodb import DynamoDBClickStore
from ingest_service.store.dynamodb_items import SHARDS
from ingest_service.store.dynamodb_retry import Backoff
from ingest_service.synthetic import synthetic_clicks

TODAY = datetime.now(UTC).date()
RETENTION_DAYS = 3


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> Iterator[DynamoDBClickStore]:
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "eu-west-1",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        backoff = Backoff(max_attempts=3, base_s=0.001, cap_s=0.01)
        dynamodb = DynamoDBClickStore("clicks-erase", RETENTION_DAYS, backoff=backoff)
        dynamodb.setup()
        yield dynamodb
        dynamodb.close()


def _clicks_on(day: date, count: int, **ids: str | None) -> list[Click]:
    received = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return [
        msgspec.structs.replace(
            click, id=str(uuid.uuid4()), received_at=received, event_date=day, **ids
        )
        for click in synthetic_clicks(day, 1, count, seed=1)
    ]


def _record_calls(store: DynamoDBClickStore) -> list[str]:
    calls: list[str] = []

    def record(**kwargs: Any) -> None:
        calls.append(kwargs["event_name"].rsplit(".", 1)[-1])

    store.client.meta.events.register("before-call.dynamodb.*", record)
    return calls


def test_erase_deletes_the_visitor_on_every_day_by_queries(store: DynamoDBClickStore) -> None:
    two_days_ago = TODAY - timedelta(days=2)
    store.write(
        _clicks_on(two_days_ago, 30, anonymous_id="v-1")  # more than one BatchWrite
        + _clicks_on(TODAY, 2, anonymous_id="v-2", session_id="s-1")
        + _clicks_on(TODAY, 5, anonymous_id="v-2")
        + _clicks_on(TODAY, 4, anonymous_id=None)
    )
    calls = _record_calls(store)
    erased = store.erase(anonymous_id="v-1", session_id="s-1")
    assert (erased.count, erased.days) == (32, (two_days_ago, TODAY))
    assert "Scan" not in calls
    assert calls.count("Query") == (RETENTION_DAYS + 1) * SHARDS
    assert calls.count("BatchWriteItem") == 3  # 32 clicks and their 32 id guards, 25 a call
    assert erased.notes == ("32 id guard(s) deleted",)
    assert store.count_day(two_days_ago) == 0
    assert store.count_day(TODAY) == 9
    remaining = [row for batch in store.read_day(TODAY) for row in batch.to_pylist()]
    assert {row["anonymous_id"] for row in remaining} == {"v-2", None}
    guards = store.client.scan(
        TableName="clicks-erase",
        FilterExpression="begins_with(pk, :g)",
        ExpressionAttributeValues={":g": {"S": "id#"}},
    )["Items"]
    assert len(guards) == 9  # the clicks left keep theirs
    assert store.erase(anonymous_id="v-1", session_id="s-1").count == 0

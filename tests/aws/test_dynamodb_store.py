"""The DynamoDB click store under moto: writes, duplicates, a day read by Queries, retries."""

from datetime import UTC, date, datetime, timedelta

import msgspec
import pyarrow as pa
import pytest

from ingest_service.contract import CLICK_SCHEMA, Click
from ingest_service.settings import PipelineSettings
from ingest_service.store import StoreUnavailable
from ingest_service.store.dynamodb import DynamoDBClickStore
from ingest_service.store.dynamodb_items import SHARDS, shard_of
from ingest_service.synthetic import synthetic_clicks
from orchestration.assets.export import publish_day, stage_day
from orchestration.resources import lake_access
from orchestration.resources.lake import CLICKS_TABLE
from tests.aws.conftest import QUICK_BACKOFF, TABLE
from tests.aws.hooks import OperationLog, SmallPages, Throttle, UnprocessedItems

DAY = date(2026, 3, 10)


def _clicks(days: int = 1, per_day: int = 60, start: date = DAY) -> list[Click]:
    return list(synthetic_clicks(start, days, per_day, seed=7))


def _rows(table: pa.Table) -> dict[str, dict[str, object]]:
    return {row["id"]: row for row in table.to_pylist()}


def _as_rows(clicks: list[Click]) -> dict[str, dict[str, object]]:
    return {click.id: msgspec.structs.asdict(click) for click in clicks}


def test_setup_creates_an_on_demand_table_with_ttl_and_is_safe_to_rerun(
    dynamodb_store: DynamoDBClickStore,
) -> None:
    dynamodb_store.setup()
    client = dynamodb_store.client
    table = client.describe_table(TableName=TABLE)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert {k["AttributeName"]: k["KeyType"] for k in table["KeySchema"]} == {
        "pk": "HASH",
        "id": "RANGE",
    }
    ttl = client.describe_time_to_live(TableName=TABLE)["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires_at")
    dynamodb_store.ping()


def test_ping_fails_without_the_table() -> None:
    store = DynamoDBClickStore("no-such-table", retention_days=30)
    with pytest.raises(StoreUnavailable, match="no-such-table"):
        store.ping()
    store.close()


def test_written_clicks_read_back_unchanged_with_key_and_expiry(
    dynamodb_store: DynamoDBClickStore,
) -> None:
    clicks = _clicks(per_day=80)
    assert dynamodb_store.write(clicks) == [True] * len(clicks)

    table = pa.Table.from_batches(dynamodb_store.read_day(DAY), schema=CLICK_SCHEMA)
    assert _rows(table) == _as_rows(clicks)
    first = clicks[0]
    item = dynamodb_store.client.get_item(
        TableName=TABLE,
        Key={"pk": {"S": f"{DAY}#{shard_of(first.id):02d}"}, "id": {"S": first.id}},
    )["Item"]
    expected_expiry = int((first.received_at + timedelta(days=30)).timestamp())
    assert int(item["expires_at"]["N"]) == expected_expiry


def test_a_click_sent_twice_is_one_item(dynamodb_store: DynamoDBClickStore) -> None:
    click, other = _clicks(per_day=2)
    assert dynamodb_store.write([click, other, click]) == [True, True, False]
    assert dynamodb_store.write([click]) == [False]
    assert dynamodb_store.count_day(DAY) == 2


def test_a_click_resent_after_midnight_is_a_duplicate_and_one_lake_row(
    dynamodb_store: DynamoDBClickStore, aws_settings: PipelineSettings
) -> None:
    """The tracker's offline queue resends a click the next day: same id, new arrival day."""
    click, other = _clicks(per_day=2)
    next_day = DAY + timedelta(days=1)
    resent = msgspec.structs.replace(
        click, received_at=click.received_at + timedelta(days=1), event_date=next_day
    )
    assert dynamodb_store.write([click]) == [True]
    assert dynamodb_store.write([other, resent]) == [True, False]

    lake = lake_access(aws_settings).lake
    for day in (DAY, next_day):
        publish_day(lake, stage_day(dynamodb_store, lake, day))
    ids = [i for day in (DAY, next_day) for i in lake.read_partition(CLICKS_TABLE, day)["id"]]
    assert [i.as_py() for i in ids].count(click.id) == 1
    assert dynamodb_store.count_day(next_day) == 0


def test_a_click_whose_write_failed_after_its_id_was_claimed_is_stored_when_resent(
    dynamodb_store: DynamoDBClickStore,
) -> None:
    (click,) = _clicks(per_day=1)
    Throttle(dynamodb_store.client, "BatchWriteItem", times=QUICK_BACKOFF.max_attempts)
    with pytest.raises(StoreUnavailable):
        dynamodb_store.write([click])  # answered 503: the tracker sends it again

    resent = msgspec.structs.replace(click, event_date=DAY + timedelta(days=1))
    assert dynamodb_store.write([resent]) == [True]
    assert dynamodb_store.write([click]) == [False]
    assert [dynamodb_store.count_day(DAY + timedelta(days=n)) for n in (0, 1)] == [0, 1]


def test_a_day_is_read_across_all_shards_by_queries_and_never_a_scan(
    dynamodb_store: DynamoDBClickStore,
) -> None:
    clicks = _clicks(days=3, per_day=300, start=DAY - timedelta(days=1))
    dynamodb_store.write(clicks)
    days_clicks = [c for c in clicks if c.event_date == DAY]
    assert len({shard_of(c.id) for c in days_clicks}) == SHARDS
    dynamodb_store.close()
    reader = DynamoDBClickStore(TABLE, retention_days=30)
    operations = OperationLog(reader.client)
    SmallPages(reader.client, size=7)

    batches = list(reader.read_day(DAY, batch_rows=50))
    count = reader.count_day(DAY)
    reader.close()

    assert all(batch.num_rows <= 50 for batch in batches)
    assert sorted(r for b in batches for r in b.column("id").to_pylist()) == sorted(
        c.id for c in days_clicks
    )
    assert count == len(days_clicks) == 300
    assert operations.calls["Scan"] == 0
    # Every shard's pages of 7 items, plus one COUNT query per shard.
    assert operations.calls["Query"] > 300 // 7 + SHARDS
    assert set(operations.calls) == {"Query"}


def test_unprocessed_items_are_retried_until_written(
    dynamodb_store: DynamoDBClickStore,
) -> None:
    clicks = _clicks(per_day=25)
    injected = UnprocessedItems(dynamodb_store.client, times=2)
    operations = OperationLog(dynamodb_store.client)

    assert dynamodb_store.write(clicks) == [True] * 25

    # 25 sent, 13 reported back; 13 resent, 7 reported back; 7 resent and written.
    assert injected.dropped == 13 + 7
    assert operations.calls["BatchWriteItem"] == 3
    assert dynamodb_store.count_day(DAY) == 25


def test_items_left_unprocessed_past_the_attempt_bound_fail_the_write(
    dynamodb_store: DynamoDBClickStore,
) -> None:
    UnprocessedItems(dynamodb_store.client, times=QUICK_BACKOFF.max_attempts)
    with pytest.raises(StoreUnavailable, match="still unprocessed"):
        dynamodb_store.write(_clicks(per_day=25))


def test_throttled_writes_and_queries_are_retried(dynamodb_store: DynamoDBClickStore) -> None:
    clicks = _clicks(per_day=30)
    Throttle(dynamodb_store.client, "BatchWriteItem", times=3)
    assert dynamodb_store.write(clicks) == [True] * 30

    Throttle(dynamodb_store.client, "Query", times=3)
    assert dynamodb_store.count_day(DAY) == 30


def test_throttling_past_the_attempt_bound_is_store_unavailable(
    dynamodb_store: DynamoDBClickStore,
) -> None:
    Throttle(dynamodb_store.client, "BatchWriteItem", times=QUICK_BACKOFF.max_attempts)
    with pytest.raises(StoreUnavailable, match="ProvisionedThroughputExceeded"):
        dynamodb_store.write(_clicks(per_day=3))


def test_clicks_per_minute_counts_human_clicks_not_page_views_from_counters(
    dynamodb_store: DynamoDBClickStore,
) -> None:
    now = datetime.now(UTC).replace(second=30, microsecond=0)
    template = msgspec.structs.replace(_clicks(per_day=1)[0], event_type="click")
    minutes_ago = [0, 0, 1, 1, 1, 5, 90]
    clicks = [
        msgspec.structs.replace(
            template,
            id=f"id-{n}",
            received_at=now - timedelta(minutes=m),
            event_date=(now - timedelta(minutes=m)).date(),
        )
        for n, m in enumerate(minutes_ago)
    ]
    bot = msgspec.structs.replace(clicks[0], id="bot", is_bot=True)
    view = msgspec.structs.replace(clicks[0], id="view", event_type="pageview")
    dynamodb_store.write([*clicks, bot, view])
    dynamodb_store.close()

    reader = DynamoDBClickStore(TABLE, retention_days=30)
    counts = reader.clicks_per_minute(now - timedelta(minutes=10))
    reader.close()

    minute = now.replace(second=0)
    assert counts == [
        (minute - timedelta(minutes=5), 1),
        (minute - timedelta(minutes=1), 3),
        (minute, 2),
    ]

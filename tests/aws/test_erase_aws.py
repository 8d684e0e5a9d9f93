"""`clickstream erase` in aws mode: the visitor leaves DynamoDB and the S3 lake (under moto)."""

import uuid
from datetime import UTC, date, datetime, timedelta

import msgspec

from ingest_service.contract import CLICK_SCHEMA, Click
from ingest_service.settings import PipelineSettings
from ingest_service.store import open_store
from ingest_service.synthetic import synthetic_clicks
from orchestration.erase import VisitorIds, erase_visitor
from orchestration.resources import Lake, lake_access
from orchestration.resources.lake import CLICKS_TABLE

TODAY = datetime.now(UTC).date()
YESTERDAY = TODAY - timedelta(days=1)


def _clicks_on(day: date, count: int, anonymous_id: str) -> list[Click]:
    received = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return [
        msgspec.structs.replace(
            click,
            id=str(uuid.uuid4()),
            received_at=received,
            event_date=day,
            anonymous_id=anonymous_id,
        )
        for click in synthetic_clicks(day, 1, count, seed=count)
    ]


def _anonymous_ids(lake: Lake, day: date) -> list[str]:
    ids: list[str] = lake.read_partition(CLICKS_TABLE, day).column("anonymous_id").to_pylist()
    return ids


def test_erase_removes_the_visitor_from_dynamodb_and_the_s3_lake(
    aws_settings: PipelineSettings,
) -> None:
    store = open_store(aws_settings)
    store.setup()
    store.write(_clicks_on(YESTERDAY, 3, "v-1") + _clicks_on(YESTERDAY, 2, "v-2"))
    store.write(_clicks_on(TODAY, 4, "v-1") + _clicks_on(TODAY, 1, "v-2"))
    lake = lake_access(aws_settings).lake
    for day in (YESTERDAY, TODAY):
        lake.write_partition(CLICKS_TABLE, day, store.read_day(day), CLICK_SCHEMA)
    store.close()

    from_store, from_lake = erase_visitor(aws_settings, VisitorIds(anonymous_id="v-1"))

    assert from_store.count == 7
    assert from_lake.per_day == {YESTERDAY: 3, TODAY: 4}
    assert _anonymous_ids(lake, YESTERDAY) == ["v-2", "v-2"]
    assert _anonymous_ids(lake, TODAY) == ["v-2"]
    store = open_store(aws_settings)
    assert [store.count_day(day) for day in (YESTERDAY, TODAY)] == [2, 1]
    store.close()

    again_store, again_lake = erase_visitor(aws_settings, VisitorIds(anonymous_id="v-1"))
    assert (again_store.count, again_lake.per_day) == (0, {})

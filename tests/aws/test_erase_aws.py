"""`clickstream erase` in aws mode: the visitor leaves DynamoDB and the S3 lake (under moto)."""

import dataclasses
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import boto3
import msgspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest_service.contract import CLICK_SCHEMA, Click
from ingest_service.settings import PipelineSettings
from ingest_service.store import open_store
from ingest_service.synthetic import synthetic_clicks
from orchestration.erase import VisitorIds, describe, erase_visitor
from orchestration.resources import Lake, lake_access
from orchestration.resources.lake import CLICKS_TABLE
from tests.aws.athena_double import athena_double
from tests.aws.conftest import LAKE_BUCKET, REGION, TABLE
from tests.dashboard.lake import store_and_summarize

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


@pytest.fixture
def settings(aws_settings: PipelineSettings) -> PipelineSettings:
    # Erase queries every day the table may hold: a week here, not the default 400 days.
    return dataclasses.replace(aws_settings, retention_days=7)


def _anonymous_ids(lake: Lake, day: date) -> list[str]:
    ids: list[str] = lake.read_partition(CLICKS_TABLE, day).column("anonymous_id").to_pylist()
    return ids


def test_erase_removes_the_visitor_from_dynamodb_and_the_s3_lake(
    settings: PipelineSettings,
) -> None:
    store = open_store(settings)
    store.setup()
    store.write(_clicks_on(YESTERDAY, 3, "v-1") + _clicks_on(YESTERDAY, 2, "v-2"))
    store.write(_clicks_on(TODAY, 4, "v-1") + _clicks_on(TODAY, 1, "v-2"))
    lake = lake_access(settings).lake
    for day in (YESTERDAY, TODAY):
        lake.write_partition(CLICKS_TABLE, day, store.read_day(day), CLICK_SCHEMA)
    store.close()

    from_store, from_lake = erase_visitor(settings, VisitorIds(anonymous_id="v-1"))

    assert from_store.count == 7
    assert from_lake.per_day == {YESTERDAY: 3, TODAY: 4}
    assert _anonymous_ids(lake, YESTERDAY) == ["v-2", "v-2"]
    assert _anonymous_ids(lake, TODAY) == ["v-2"]
    store = open_store(settings)
    assert [store.count_day(day) for day in (YESTERDAY, TODAY)] == [2, 1]
    store.close()

    again_store, again_lake = erase_visitor(settings, VisitorIds(anonymous_id="v-1"))
    assert (again_store.count, again_lake.per_day) == (0, {})


VISITOR, PAGE, BUTTON = "visitor-9c2b", "https://shop.example/only-9c2b", "Only 9c2b"


def _every_version(bucket: str) -> Iterator[tuple[str, str, bytes]]:
    s3 = boto3.client("s3")
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for version in page.get("Versions", []):
            key, version_id = version["Key"], version["VersionId"]
            body = s3.get_object(Bucket=bucket, Key=key, VersionId=version_id)["Body"].read()
            yield key, version_id, body


def _holds(body: bytes, needles: list[str]) -> bool:
    # Parquet is compressed: its values are read, not its raw bytes.
    text = str(pq.read_table(pa.BufferReader(body)).to_pylist()) if body[:4] == b"PAR1" else ""
    return any(n.encode() in body or n in text for n in needles)


@pytest.mark.slow
def test_no_object_version_in_the_versioned_bucket_keeps_the_visitor(
    settings: PipelineSettings, tmp_path: Path
) -> None:
    boto3.client("s3").put_bucket_versioning(
        Bucket=LAKE_BUCKET, VersioningConfiguration={"Status": "Enabled"}
    )
    others = _clicks_on(YESTERDAY, 40, "v-2")
    visitor = [
        msgspec.structs.replace(c, page_url=PAGE, button=BUTTON, is_bot=False)
        for c in _clicks_on(YESTERDAY, 5, VISITOR)
    ]
    store = open_store(settings)
    store.setup()
    with athena_double(tmp_path / "athena", REGION):
        store_and_summarize(settings, store, others + visitor, [YESTERDAY])
        store.close()
        needles = [VISITOR, PAGE, BUTTON, *(c.id for c in visitor)]
        assert any(_holds(body, needles) for _, _, body in _every_version(LAKE_BUCKET))

        from_store, from_lake = erase_visitor(settings, VisitorIds(anonymous_id=VISITOR))

    assert (from_store.count, from_lake.per_day) == (5, {YESTERDAY: 5})
    assert from_lake.summary_days == (YESTERDAY,)
    assert from_lake.old_versions > 0
    versions = list(_every_version(LAKE_BUCKET))
    assert [key for key, _, body in versions if _holds(body, needles)] == []
    keys = [key for key, _, _ in versions]
    assert len(keys) == len(set(keys)), "a rewritten key kept an earlier version"
    table = boto3.client("dynamodb").scan(TableName=TABLE)["Items"]
    assert not [item for item in table if _holds(str(item).encode(), needles)]
    assert "lake: deleted" in describe(from_store, from_lake)

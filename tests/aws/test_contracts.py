"""The same tests against the local and the AWS implementation of each interface."""

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import boto3
import msgspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest_service.contract import CLICK_SCHEMA, Click
from ingest_service.settings import PipelineSettings
from ingest_service.store import ClickStore
from ingest_service.store.dynamodb import DynamoDBClickStore
from ingest_service.store.sqlite import SQLiteClickStore
from ingest_service.synthetic import synthetic_clicks
from orchestration.resources.aws_clients import split_s3_uri
from orchestration.resources.catalog import Catalog, LocalCatalog
from orchestration.resources.glue_catalog import GlueCatalog
from orchestration.resources.lake import CLICKS_TABLE, Lake, LocalLake, location_of
from orchestration.resources.s3_lake import S3Lake
from tests.aws.conftest import TABLE

DAY = date(2026, 3, 10)


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ClickStore]:
    opened: ClickStore = (
        SQLiteClickStore(tmp_path / "clicks.sqlite3")
        if request.param == "sqlite"
        else DynamoDBClickStore(TABLE, retention_days=30)
    )
    opened.setup()
    yield opened
    opened.close()


@pytest.fixture(params=["local", "s3"])
def lake(request: pytest.FixtureRequest, tmp_path: Path, aws_settings: PipelineSettings) -> Lake:
    if request.param == "local":
        return LocalLake(root=str(tmp_path / "lake"))
    return S3Lake(root=aws_settings.lake_root)


@pytest.fixture(params=["local", "glue"])
def catalog(
    request: pytest.FixtureRequest, tmp_path: Path, aws_settings: PipelineSettings
) -> Catalog:
    if request.param == "local":
        return LocalCatalog(path=str(tmp_path / "catalog.sqlite3"))
    return GlueCatalog(database=aws_settings.glue_database)


def _clicks() -> list[Click]:
    """Clicks and, every third event, a page view with every field of contract v2."""
    return [
        msgspec.structs.replace(
            click,
            event_type="pageview",
            button="",
            referrer_host="news.example",
            utm_source="newsletter",
            utm_medium="email",
            utm_campaign="winter",
            utm_term="pens",
            utm_content="header",
            properties='{"plan":"pro"}',
        )
        if index % 3 == 0
        else click
        for index, click in enumerate(synthetic_clicks(DAY, 2, 120, seed=11))
    ]


def test_store_keeps_each_click_once_and_reads_a_day_back(store: ClickStore) -> None:
    clicks = _clicks()
    assert store.write(clicks) == [True] * len(clicks)
    assert store.write([clicks[0], clicks[0]])[1] is False

    day_clicks = [c for c in clicks if c.event_date == DAY]
    table = pa.Table.from_batches(store.read_day(DAY, batch_rows=50), schema=CLICK_SCHEMA)
    assert sorted(table.to_pylist(), key=lambda r: r["id"]) == sorted(
        (msgspec.structs.asdict(c) for c in day_clicks), key=lambda r: r["id"]
    )
    assert store.count_day(DAY) == len(day_clicks) == 120
    assert store.count_day(date(2026, 3, 9)) == 0
    store.ping()


def test_store_answers_a_resend_on_a_later_day_duplicate(store: ClickStore) -> None:
    click = _clicks()[0]
    later = msgspec.structs.replace(
        click, received_at=click.received_at + timedelta(days=3), event_date=DAY + timedelta(3)
    )
    assert store.write([click]) == [True]
    assert store.write([later]) == [False]
    assert [store.count_day(day) for day in (click.event_date, later.event_date)] == [1, 0]


def test_lake_replaces_a_partition_and_lists_its_days(lake: Lake) -> None:
    clicks = [msgspec.structs.asdict(c) for c in _clicks() if c.event_date == DAY]
    table = pa.Table.from_pylist(clicks, schema=CLICK_SCHEMA)
    lake.write_partition(CLICKS_TABLE, DAY, table, CLICK_SCHEMA)
    written = lake.write_partition(CLICKS_TABLE, DAY, table.slice(0, 10), CLICK_SCHEMA)

    assert written.rows == 10
    assert written.uri == lake.partition_uri(CLICKS_TABLE, DAY)
    assert lake.read_partition(CLICKS_TABLE, DAY).equals(table.slice(0, 10))
    columns = pa.Table.from_batches(lake.read_columns(CLICKS_TABLE, DAY, ["longitude", "id"]))
    assert columns.equals(table.slice(0, 10).select(["longitude", "id"]))
    assert lake.partition_days(CLICKS_TABLE) == [DAY]
    lake.delete_partition(CLICKS_TABLE, DAY)
    assert lake.partition_days(CLICKS_TABLE) == []


def test_catalog_registers_partitions_idempotently(catalog: Catalog) -> None:
    location = "s3://lake/clicks"
    catalog.ensure_table(CLICKS_TABLE, CLICK_SCHEMA, location)
    catalog.ensure_table(CLICKS_TABLE, CLICK_SCHEMA, location)
    partition = location_of(f"{location}/year=2026/month=03/day=10/dynamodb_export.parquet")
    catalog.add_partition(CLICKS_TABLE, DAY, partition)
    catalog.add_partition(CLICKS_TABLE, DAY, partition)

    assert catalog.tables() == [CLICKS_TABLE]
    assert catalog.partitions(CLICKS_TABLE) == {DAY: partition}
    assert catalog.table_schema(CLICKS_TABLE).names == CLICK_SCHEMA.names


def _files_under(uri: str) -> list[str]:
    """The files under a location, relative to it, read past the interface."""
    if uri.startswith("s3://"):
        bucket, prefix = split_s3_uri(uri.rstrip("/") + "/")
        listed = boto3.client("s3").list_objects_v2(Bucket=bucket, Prefix=prefix)
        return sorted(item["Key"].removeprefix(prefix) for item in listed.get("Contents", []))
    return sorted(p.relative_to(uri).as_posix() for p in Path(uri).rglob("*") if p.is_file())


def _staged(lake: Lake) -> list[str]:
    return _files_under(lake.staging_uri(CLICKS_TABLE, DAY))


def _put(location: str, name: str) -> None:
    """A file at the location, as a query engine writing a partition leaves it."""
    if location.startswith("s3://"):
        bucket, key = split_s3_uri(f"{location}/{name}")
        boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=b"parquet")
    else:
        Path(location).mkdir(parents=True, exist_ok=True)
        (Path(location) / name).write_bytes(b"parquet")


def test_lake_gives_new_locations_and_retires_all_but_the_kept_one(lake: Lake) -> None:
    table = "clicks_by_button"
    first, second = lake.new_location(table, DAY), lake.new_location(table, DAY)
    _put(first, "a.parquet")
    _put(second, "b.parquet")
    _put(location_of(first), "summary.parquet")  # the layout before new locations
    _put(lake.new_location(table, DAY + timedelta(days=1)), "c.parquet")

    lake.retire(table, DAY, keep=second)

    assert first != second
    assert location_of(second) == location_of(lake.partition_uri(table, DAY))
    kept = second.rsplit("/", 1)[1]
    files = _files_under(lake.table_uri(table))
    assert [f for f in files if "/day=10/" in f] == [f"year=2026/month=03/day=10/{kept}/b.parquet"]
    assert [f for f in files if "/day=11/" in f]


def test_lake_stages_out_of_sight_then_publishes_or_discards(lake: Lake) -> None:
    clicks = [msgspec.structs.asdict(c) for c in _clicks() if c.event_date == DAY]
    table = pa.Table.from_pylist(clicks, schema=CLICK_SCHEMA)
    lake.write_partition(CLICKS_TABLE, DAY, table.slice(0, 5), CLICK_SCHEMA)

    staged = lake.stage_partition(CLICKS_TABLE, DAY, table.slice(0, 7).to_batches(), CLICK_SCHEMA)

    assert staged.written.rows == 7
    assert lake.read_partition(CLICKS_TABLE, DAY).equals(table.slice(0, 5))
    assert lake.partition_days(CLICKS_TABLE) == [DAY]
    with lake.staged_file(staged) as source:
        assert pq.read_table(source, partitioning=None).equals(table.slice(0, 7))
    published = lake.publish(staged)
    assert published.uri == lake.partition_uri(CLICKS_TABLE, DAY)
    assert lake.read_partition(CLICKS_TABLE, DAY).equals(table.slice(0, 7))
    assert _staged(lake) == []

    lake.stage_partition(CLICKS_TABLE, DAY, table.slice(0, 2), CLICK_SCHEMA)
    assert _staged(lake)
    lake.discard_staged(CLICKS_TABLE, DAY)
    assert _staged(lake) == []
    assert lake.read_partition(CLICKS_TABLE, DAY).equals(table.slice(0, 7))

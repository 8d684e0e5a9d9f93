"""S3Lake and GlueCatalog under moto: the local layout, clean re-runs, idempotent partitions."""

from datetime import date

import boto3
import pyarrow as pa
import pytest

from ingest_service.contract import CLICK_SCHEMA
from ingest_service.settings import PipelineSettings
from orchestration.resources.catalog import UnknownTable
from orchestration.resources.glue_catalog import GlueCatalog
from orchestration.resources.lake import CLICKS_TABLE, compacted_table, location_of
from orchestration.resources.s3_lake import S3Lake
from tests.aws.conftest import LAKE_BUCKET

DAY = date(2026, 3, 10)
PARTITION = "lake/clicks/year=2026/month=03/day=10/"


def _keys(prefix: str) -> list[str]:
    listed = boto3.client("s3").list_objects_v2(Bucket=LAKE_BUCKET, Prefix=prefix)
    return sorted(item["Key"] for item in listed.get("Contents", []))


SCHEMA = pa.schema([pa.field("id", pa.string()), pa.field("n", pa.int64())])


def _rows(n: int) -> pa.Table:
    return pa.table({"id": [str(i) for i in range(n)], "n": list(range(n))}, schema=SCHEMA)


def test_a_rerun_replaces_the_partition_and_leaves_no_stale_objects(
    aws_settings: PipelineSettings,
) -> None:
    lake = S3Lake(root=aws_settings.lake_root)
    s3 = boto3.client("s3")
    s3.put_object(Bucket=LAKE_BUCKET, Key=PARTITION + "part-from-an-old-writer.parquet", Body=b"")

    first = lake.write_partition(CLICKS_TABLE, DAY, _rows(5), SCHEMA)
    again = lake.write_partition(CLICKS_TABLE, DAY, _rows(3).to_batches(), SCHEMA)

    assert first.uri == f"s3://{LAKE_BUCKET}/{PARTITION}dynamodb_export.parquet"
    assert (first.rows, again.rows) == (5, 3)
    assert _keys(PARTITION) == [PARTITION + "dynamodb_export.parquet"]
    assert lake.read_partition(CLICKS_TABLE, DAY).equals(_rows(3))
    assert lake.partition_days(CLICKS_TABLE) == [DAY]
    lake.delete_partition(CLICKS_TABLE, DAY)
    assert _keys(PARTITION) == []
    assert lake.partition_days(CLICKS_TABLE) == []


def test_glue_table_has_the_contract_schema_and_day_partitions(
    aws_settings: PipelineSettings,
) -> None:
    catalog = GlueCatalog(database=aws_settings.glue_database)
    lake = S3Lake(root=aws_settings.lake_root)
    location = f"s3://{LAKE_BUCKET}/{PARTITION}".rstrip("/")

    catalog.ensure_table(CLICKS_TABLE, CLICK_SCHEMA, lake.table_uri(CLICKS_TABLE))
    catalog.ensure_table(CLICKS_TABLE, CLICK_SCHEMA, lake.table_uri(CLICKS_TABLE))
    catalog.add_partition(CLICKS_TABLE, DAY, location)
    catalog.add_partition(CLICKS_TABLE, DAY, location)

    assert catalog.tables() == [CLICKS_TABLE]
    assert catalog.table_schema(CLICKS_TABLE) == pa.schema(
        [pa.field(f.name, f.type) for f in CLICK_SCHEMA]
    )
    assert catalog.partitions(CLICKS_TABLE) == {DAY: location}
    table = boto3.client("glue").get_table(DatabaseName=aws_settings.glue_database, Name="clicks")
    described = table["Table"]
    assert [k["Name"] for k in described["PartitionKeys"]] == ["year", "month", "day"]
    serde = described["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"]
    assert serde.endswith("ParquetHiveSerDe")
    types = {c["Name"]: c["Type"] for c in described["StorageDescriptor"]["Columns"]}
    assert (types["received_at"], types["event_date"], types["screen_width"]) == (
        "timestamp",
        "date",
        "int",
    )
    assert (types["latitude"], types["is_bot"], types["button"]) == ("double", "boolean", "string")


def test_unknown_tables_are_reported(aws_settings: PipelineSettings) -> None:
    catalog = GlueCatalog(database=aws_settings.glue_database)
    assert catalog.tables() == []
    with pytest.raises(UnknownTable):
        catalog.partitions("clicks")


def test_a_compacted_table_has_month_partitions_in_s3_and_glue(
    aws_settings: PipelineSettings,
) -> None:
    catalog = GlueCatalog(database=aws_settings.glue_database)
    lake = S3Lake(root=aws_settings.lake_root)
    name = compacted_table("clicks_by_button")

    written = lake.write_partition(name, DAY, _rows(4), SCHEMA)
    catalog.ensure_table(name, SCHEMA, lake.table_uri(name))
    catalog.add_partition(name, DAY, location_of(written.uri))

    month_prefix = "lake/summaries/clicks_by_button_compacted/year=2026/month=03/"
    assert written.uri == f"s3://{LAKE_BUCKET}/{month_prefix}summary.parquet"
    assert lake.partition_days(name) == [date(2026, 3, 1)]
    assert catalog.partitions(name) == {date(2026, 3, 1): location_of(written.uri)}
    glue = boto3.client("glue")
    described = glue.get_table(DatabaseName=aws_settings.glue_database, Name=name)["Table"]
    assert [k["Name"] for k in described["PartitionKeys"]] == ["year", "month"]
    (partition,) = glue.get_partitions(DatabaseName=aws_settings.glue_database, TableName=name)[
        "Partitions"
    ]
    assert partition["Values"] == ["2026", "03"]

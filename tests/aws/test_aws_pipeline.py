"""The pipeline in aws mode under moto: DynamoDB to S3 Parquet, Glue partitions, Athena SQL."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import boto3
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from moto.athena.models import athena_backends
from moto.core.models import DEFAULT_ACCOUNT_ID

from ingest_service.contract import CLICK_SCHEMA, Click
from ingest_service.settings import PipelineSettings
from ingest_service.store.dynamodb import DynamoDBClickStore
from ingest_service.store.dynamodb_items import partition_key, shard_of
from ingest_service.synthetic import synthetic_clicks
from orchestration.assets.summary_tables import SUMMARIES
from orchestration.checks.contract import COORDINATES_CHECK
from orchestration.resources.aws_clients import split_s3_uri
from orchestration.resources.glue_catalog import GlueCatalog
from orchestration.resources.lake import CLICKS_TABLE, compacted_table
from orchestration.resources.s3_lake import S3Lake
from orchestration.sql import summary_sql
from tests.aws.athena_double import local_summary_results, queue_athena_results
from tests.aws.conftest import LAKE_BUCKET, REGION, TABLE
from tests.pipeline.conftest import Pipeline

DAY = date(2026, 3, 10)


@pytest.fixture
def clicks() -> list[Click]:
    return list(synthetic_clicks(DAY, 2, 150, seed=3))


@pytest.fixture
def local_summaries(clicks: list[Click], tmp_path: Path) -> list[pa.Table]:
    return local_summary_results(clicks, [DAY], tmp_path / "local")


@pytest.fixture
def pipeline(
    aws_settings: PipelineSettings, clicks: list[Click], local_summaries: list[pa.Table]
) -> Iterator[Pipeline]:
    store = DynamoDBClickStore(TABLE, retention_days=30)
    store.setup()
    store.write(clicks)
    store.close()
    queue_athena_results(local_summaries, REGION)
    pipeline = Pipeline(aws_settings)
    yield pipeline
    pipeline.instance.dispose()


def _athena_queries() -> list[tuple[str, str]]:
    executions = athena_backends[DEFAULT_ACCOUNT_ID][REGION].executions.values()
    return [(e.query, e.workgroup.name if e.workgroup else "") for e in executions]


def test_a_day_goes_from_dynamodb_to_s3_parquet_and_glue(
    pipeline: Pipeline, aws_settings: PipelineSettings, clicks: list[Click]
) -> None:
    result = pipeline.materialize(DAY)

    assert result.success
    exported = S3Lake(root=aws_settings.lake_root).read_partition(CLICKS_TABLE, DAY)
    rows = [{n: getattr(c, n) for n in CLICK_SCHEMA.names} for c in clicks if c.event_date == DAY]
    expected = pa.Table.from_pylist(rows, schema=CLICK_SCHEMA)
    assert exported.schema == CLICK_SCHEMA
    assert exported.sort_by("id").equals(expected.sort_by("id"))

    partitions = GlueCatalog(database=aws_settings.glue_database).partitions(CLICKS_TABLE)
    assert partitions == {DAY: f"s3://{LAKE_BUCKET}/lake/clicks/year=2026/month=03/day=10"}


def test_summaries_run_the_summary_sql_on_athena_in_the_workgroup(
    pipeline: Pipeline, aws_settings: PipelineSettings, local_summaries: list[pa.Table]
) -> None:
    assert pipeline.materialize(DAY).success

    expected = [summary_sql(s.sql_name, DAY, DAY, "athena") for s in SUMMARIES]
    queries = _athena_queries()
    assert [q for q, _ in queries] == expected
    assert {workgroup for _, workgroup in queries} == {aws_settings.athena_workgroup}
    lake = S3Lake(root=aws_settings.lake_root)
    for summary, raw in zip(SUMMARIES, local_summaries, strict=True):
        expected = summary.finish(raw).select(summary.schema.names).cast(summary.schema)
        assert lake.read_partition(summary.name, DAY).equals(expected), summary.name
        # The month's compacted partition holds the same rows: the month's only day so far.
        compacted = lake.read_partition(compacted_table(summary.name), DAY)
        assert compacted.equals(expected), summary.name
    glue_tables = GlueCatalog(database=aws_settings.glue_database).tables()
    summary_tables = [name for s in SUMMARIES for name in (s.name, compacted_table(s.name))]
    assert glue_tables == sorted([CLICKS_TABLE, *summary_tables])


def test_a_corrupted_rerun_keeps_the_published_object_and_stages_nothing_in_sight(
    pipeline: Pipeline, aws_settings: PipelineSettings, clicks: list[Click]
) -> None:
    assert pipeline.materialize(DAY).success
    lake = S3Lake(root=aws_settings.lake_root)
    good = lake.read_partition(CLICKS_TABLE, DAY)
    victim = next(c for c in clicks if c.event_date == DAY)
    boto3.client("dynamodb").update_item(
        TableName=TABLE,
        Key={"pk": {"S": partition_key(DAY, shard_of(victim.id))}, "id": {"S": victim.id}},
        UpdateExpression="SET latitude = :bad",
        ExpressionAttributeValues={":bad": {"N": "999"}},
    )

    result = pipeline.materialize(DAY)

    assert not result.success
    failed = {e.check_name for e in result.get_asset_check_evaluations() if not e.passed}
    assert COORDINATES_CHECK in failed
    # An independent reader of the object the Glue partition points at.
    location = GlueCatalog(database=aws_settings.glue_database).partitions(CLICKS_TABLE)[DAY]
    bucket, prefix = split_s3_uri(location)
    s3 = boto3.client("s3")
    [key] = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix)["Contents"]]
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    assert pq.read_table(pa.BufferReader(body), partitioning=None).equals(good)
    staging = s3.list_objects_v2(Bucket=LAKE_BUCKET, Prefix="lake/_staging/")
    assert staging.get("Contents", []) == []

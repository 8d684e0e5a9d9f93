"""The pipeline in aws mode under moto: DynamoDB to S3 Parquet, Glue partitions, Athena SQL.

Moto's Athena runs no SQL: the Athena double (athena_double.py) does each UNLOAD with
DuckDB over the same Parquet, so the values written can be compared with local mode's.
"""

import io
import re
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
from ingest_service.store.sqlite import SQLiteClickStore
from ingest_service.synthetic import synthetic_clicks
from orchestration.assets.journey_tables import SESSIONS
from orchestration.assets.summary_spec import Summary
from orchestration.assets.summary_tables import SUMMARIES
from orchestration.checks.contract import COORDINATES_CHECK
from orchestration.checks.day_stats import stats_sql
from orchestration.checks.journeys import JOURNEY_CHECKS
from orchestration.funnels import load_funnels, step_values_sql
from orchestration.resources.athena import unload_statement
from orchestration.resources.aws_clients import split_s3_uri
from orchestration.resources.catalog import Catalog, LocalCatalog
from orchestration.resources.glue_catalog import GlueCatalog
from orchestration.resources.lake import (
    CLICKS_TABLE,
    EXPORT_FILE,
    compacted_table,
    location_of,
    partition_day,
    partition_values,
)
from orchestration.resources.query_engine import Unload, staged_table
from orchestration.resources.s3_lake import S3Lake
from orchestration.sql import month_sql, transpile, typed_summary_sql
from tests.aws.athena_double import AthenaDouble, athena_double
from tests.aws.conftest import LAKE_BUCKET, REGION, TABLE
from tests.aws.hooks import ObjectReads
from tests.pipeline.conftest import Pipeline

DAY = date(2026, 3, 10)
SUMMARY_TABLES = [name for s in SUMMARIES for name in (s.name, compacted_table(s.name))]


@pytest.fixture
def clicks() -> list[Click]:
    return list(synthetic_clicks(DAY, 2, 150, seed=3))


@pytest.fixture
def athena(tmp_path: Path) -> Iterator[AthenaDouble]:
    with athena_double(tmp_path / "athena", REGION) as double:
        yield double


@pytest.fixture
def pipeline(
    aws_settings: PipelineSettings, clicks: list[Click], athena: AthenaDouble
) -> Iterator[Pipeline]:
    store = DynamoDBClickStore(TABLE, retention_days=30)
    store.setup()
    store.write(clicks)
    store.close()
    pipeline = Pipeline(aws_settings)
    yield pipeline
    pipeline.instance.dispose()


def _local_summaries(clicks: list[Click], day: date, data_dir: Path) -> dict[str, pa.Table]:
    """Each summary table's partition of the day, as local mode writes it."""
    settings = PipelineSettings(data_dir=data_dir, start_date=date(2026, 1, 1))
    store = SQLiteClickStore(settings.store_path)
    store.setup()
    store.write(clicks)
    store.close()
    pipeline = Pipeline(settings)
    try:
        assert pipeline.materialize(day).success
    finally:
        pipeline.instance.dispose()
    catalog = LocalCatalog(path=str(data_dir / "catalog.sqlite3"))
    return {name: _partition(catalog, name, day) for name in SUMMARY_TABLES}


def _partition(catalog: Catalog, table: str, day: date) -> pa.Table:
    """The rows of the catalogued partition holding the day, from every file under it."""
    location = _location(catalog, table, day)
    if not location.startswith("s3://"):
        return pq.read_table(location, partitioning=None)
    s3 = boto3.client("s3")
    bodies = [s3.get_object(Bucket=LAKE_BUCKET, Key=key)["Body"].read() for key in _keys(location)]
    return pa.concat_tables([pq.read_table(io.BytesIO(body)) for body in bodies])


def _location(catalog: Catalog, table: str, day: date) -> str:
    return catalog.partitions(table)[partition_day(partition_values(table, day))]


def _keys(location: str) -> list[str]:
    _, prefix = split_s3_uri(location.rstrip("/") + "/")
    listed = boto3.client("s3").list_objects_v2(Bucket=LAKE_BUCKET, Prefix=prefix)
    return [item["Key"] for item in listed.get("Contents", [])]


def _rows(table: pa.Table) -> tuple[list[tuple[str, pa.DataType]], list[dict[str, object]]]:
    """Columns with their types, and rows in order (nullability aside: DuckDB marks the
    grouping keys it writes NOT NULL)."""
    ordered = table.sort_by([(name, "ascending") for name in table.column_names])
    return [(f.name, f.type) for f in table.schema], ordered.to_pylist()


def _staged_keys() -> list[str]:
    listed = boto3.client("s3").list_objects_v2(Bucket=LAKE_BUCKET, Prefix="lake/_staging/")
    return [item["Key"] for item in listed.get("Contents", [])]


def _staging_partitions(settings: PipelineSettings) -> dict[date, str]:
    return GlueCatalog(database=settings.glue_database).partitions(staged_table(CLICKS_TABLE))


def test_a_day_goes_from_dynamodb_to_s3_parquet_and_glue(
    pipeline: Pipeline, aws_settings: PipelineSettings, clicks: list[Click], s3_reads: ObjectReads
) -> None:
    result = pipeline.materialize(DAY)

    assert result.success
    # Audited in place: the staged object read in ranges (footer, sample), never whole.
    staged = f"{S3Lake(root=aws_settings.lake_root).staging_uri(CLICKS_TABLE, DAY)}/"
    reads = s3_reads.ranges(staged + EXPORT_FILE)
    assert reads
    assert None not in reads
    # Published: nothing staged is left, in S3 or in the staging table.
    assert _staged_keys() == []
    assert _staging_partitions(aws_settings) == {}
    exported = S3Lake(root=aws_settings.lake_root).read_partition(CLICKS_TABLE, DAY)
    rows = [{n: getattr(c, n) for n in CLICK_SCHEMA.names} for c in clicks if c.event_date == DAY]
    expected = pa.Table.from_pylist(rows, schema=CLICK_SCHEMA)
    assert exported.schema == CLICK_SCHEMA
    assert exported.sort_by("id").equals(expected.sort_by("id"))

    partitions = GlueCatalog(database=aws_settings.glue_database).partitions(CLICKS_TABLE)
    assert partitions == {DAY: f"s3://{LAKE_BUCKET}/lake/clicks/year=2026/month=03/day=10"}


def _location_pattern(table: str, partition: str) -> str:
    return rf"s3://{LAKE_BUCKET}/lake/summaries/{table}/{partition}/[0-9a-f]{{32}}"


def _expected_statements(
    summary: Summary, locations: dict[str, str], settings: PipelineSettings
) -> list[str]:
    steps = step_values_sql(load_funnels(settings.funnels_file).funnels)
    daily = typed_summary_sql(summary.name, summary.columns(), DAY, DAY, "athena", steps)
    month = month_sql(summary.name, summary.schema.names, DAY, "athena")
    compacted = compacted_table(summary.name)
    return [
        unload_statement(Unload(daily, locations[summary.name])),
        unload_statement(Unload(month, locations[compacted])),
    ]


@pytest.mark.slow
def test_athena_unloads_every_summary_partition_and_glue_points_at_it(
    pipeline: Pipeline,
    aws_settings: PipelineSettings,
    athena: AthenaDouble,
    clicks: list[Click],
    tmp_path: Path,
) -> None:
    assert pipeline.materialize(DAY).success

    glue = GlueCatalog(database=aws_settings.glue_database)
    locations = {name: _location(glue, name, DAY) for name in SUMMARY_TABLES}
    for summary in SUMMARIES:
        assert re.fullmatch(
            _location_pattern(summary.name, "year=2026/month=03/day=10"), locations[summary.name]
        )
        compacted = compacted_table(summary.name)
        assert re.fullmatch(
            _location_pattern(compacted, "year=2026/month=03"), locations[compacted]
        )
    # First the export's audit, counting the staged day; then the days' UNLOADs go out
    # together, those reading the sessions table once it is published, then the months'
    # (which read the daily tables). After each batch of days, the journey checks read
    # what it wrote, before it is published, through the staged tables: the sessions
    # table's too while it is in the batch.
    audit, *published = athena.statements
    assert audit == transpile(stats_sql(DAY, set(CLICK_SCHEMA.names)), "athena")
    expected = {s.name: _expected_statements(s, locations, aws_settings) for s in SUMMARIES}
    first, then = [s for s in SUMMARIES if not s.reads], [s for s in SUMMARIES if s.reads]
    checked_first = [staged_table(s.name) for s in first if s.name in JOURNEY_CHECKS]
    read_first = [staged_table(SESSIONS), *checked_first]
    read_then = [SESSIONS, *(staged_table(s.name) for s in then if s.name in JOURNEY_CHECKS)]
    # Each SELECT as the table it reads.
    sent = [re.sub(r"^SELECT .*? FROM (\w+) .*", r"\1", q, flags=re.S) for q in published]
    assert sent == [
        *(expected[s.name][0] for s in first),
        *read_first,
        *(expected[s.name][0] for s in then),
        *read_then,
        *(expected[s.name][1] for s in SUMMARIES),
    ]
    executions = athena_backends[DEFAULT_ACCOUNT_ID][REGION].executions.values()
    assert {e.workgroup.name for e in executions if e.workgroup} == {aws_settings.athena_workgroup}
    staging = staged_table(CLICKS_TABLE)
    assert sorted(glue.tables()) == sorted([CLICKS_TABLE, "places", staging, *SUMMARY_TABLES])

    local = _local_summaries(clicks, DAY, tmp_path / "local")
    for name in SUMMARY_TABLES:
        written = _partition(glue, name, DAY)
        assert _rows(written) == _rows(local[name]), name

    # A re-run writes new locations, re-points Glue, and deletes what the first run wrote.
    assert pipeline.materialize(DAY).success
    for name in SUMMARY_TABLES:
        again = _location(glue, name, DAY)
        assert again != locations[name]
        assert _keys(again.rsplit("/", 1)[0]) == _keys(again), f"{name}: earlier files left"


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
    # Held: nothing staged is left, in S3 or in the staging table.
    assert _staged_keys() == []
    assert _staging_partitions(aws_settings) == {}


def test_what_a_killed_audit_left_staged_is_gone_after_the_next_run_of_the_day(
    pipeline: Pipeline, aws_settings: PipelineSettings, clicks: list[Click]
) -> None:
    # A run killed while Athena counted its staged day: the object and the staging
    # table's partition pointing at it are still there.
    lake = S3Lake(root=aws_settings.lake_root)
    rows = [{n: getattr(c, n) for n in CLICK_SCHEMA.names} for c in clicks[:5]]
    left = lake.stage_partition(
        CLICKS_TABLE, DAY, pa.Table.from_pylist(rows, CLICK_SCHEMA), CLICK_SCHEMA
    )
    glue, staging = GlueCatalog(database=aws_settings.glue_database), staged_table(CLICKS_TABLE)
    glue.ensure_table(staging, CLICK_SCHEMA, f"{aws_settings.lake_root}/_staging/clicks")
    glue.add_partition(staging, DAY, location_of(left.written.uri))
    assert _staging_partitions(aws_settings)

    assert pipeline.materialize(DAY).success

    assert _staged_keys() == []
    assert _staging_partitions(aws_settings) == {}

"""The export's audit on AWS: Athena counts the staged partition through the Glue staging
table, and the sample is read from S3 in place, a few ranges of the staged object.

The Athena double runs each SELECT on DuckDB over the Glue tables it names, so the
figures Athena's statement gives can be compared with local mode's over the same rows.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest_service.settings import PipelineSettings
from orchestration.checks import contract
from orchestration.checks.day_stats import stats_of_staged, stats_sql
from orchestration.expectations import SAMPLE_ROW_GROUPS, sample_file
from orchestration.resources import athena as athena_module
from orchestration.resources.athena import AthenaQueryEngine, AthenaQueryFailed
from orchestration.resources.duckdb_engine import DuckDBQueryEngine
from orchestration.resources.glue_catalog import GlueCatalog
from orchestration.resources.lake import CLICKS_TABLE, Lake, LocalLake, StagedPartition
from orchestration.resources.s3_lake import S3Lake
from orchestration.sql import transpile
from tests.aws.athena_double import AthenaDouble, athena_double
from tests.aws.conftest import REGION
from tests.aws.hooks import ObjectReads
from tests.quality.tables import DAY, clicks, table_of, with_column

STAGED = "clicks_staged"


@pytest.fixture
def athena(tmp_path: Path) -> Iterator[AthenaDouble]:
    with athena_double(tmp_path / "athena", REGION) as double:
        yield double


def _broken_day() -> pa.Table:
    """A day breaking several rules: a latitude of 999, a repeated id, a missing button,
    a click five minutes and a second from its arrival, one received a microsecond
    before the day."""
    table = table_of(clicks(120))
    latitudes = table.column("latitude").to_pylist()
    latitudes[4] = 999.0
    ids = table.column("id").to_pylist()
    ids[7] = ids[30]
    buttons = table.column("button").to_pylist()
    buttons[11] = None
    arrivals = table.column("received_at").to_pylist()
    sent = table.column("client_ts").to_pylist()
    sent[12] = arrivals[12] + timedelta(minutes=5, seconds=1)
    arrivals[13] = datetime(2026, 3, 9, 23, 59, 59, 999_999, tzinfo=UTC)
    changed = {
        "latitude": latitudes,
        "id": ids,
        "button": buttons,
        "client_ts": sent,
        "received_at": arrivals,
    }
    for name, values in changed.items():
        table = with_column(table, name, values)
    return table


def _athena(settings: PipelineSettings) -> AthenaQueryEngine:
    assert settings.athena_output
    return AthenaQueryEngine(
        database=settings.glue_database,
        workgroup=settings.athena_workgroup,
        output_location=settings.athena_output,
        first_poll_s=0.01,
    )


def _stage(lake: Lake, table: pa.Table, row_group_rows: int = 65_536) -> StagedPartition:
    return lake.stage_partition(
        CLICKS_TABLE, DAY, table.to_batches(max_chunksize=row_group_rows), table.schema
    )


def test_athena_counts_the_staged_partition_as_local_mode_counts_the_file(
    aws_settings: PipelineSettings, athena: AthenaDouble, tmp_path: Path
) -> None:
    day = _broken_day()
    local = _stage(LocalLake(root=str(tmp_path / "lake")), day)
    engine = DuckDBQueryEngine(catalog_path=str(tmp_path / "catalog.sqlite3"))
    expected = stats_of_staged(engine, local, day.schema)

    staged = _stage(S3Lake(root=aws_settings.lake_root), day)
    stats = stats_of_staged(_athena(aws_settings), staged, day.schema)

    assert stats == expected
    assert (stats.bad_latitude, stats.duplicate_ids, stats.nulls["button"]) == (1, 1, 1)
    assert stats.received_outside_day == 1
    assert stats.skewed_clicks >= 1
    assert not contract.coordinates_in_range(stats).passed
    assert not contract.ids_unique(stats).passed
    # The statements sent: the day's counts, then (ids repeat) which ids, both over the
    # staging table's partition of the day, never over the published `clicks`.
    counts, repeated = athena.statements
    assert counts == transpile(stats_sql(DAY, set(day.column_names)), "athena")
    for statement in (counts, repeated):
        assert f"FROM {STAGED} WHERE year = '2026' AND month = '03' AND day = '10'" in statement
    # The partition lived for the query only, at the staged object's prefix.
    glue = GlueCatalog(database=aws_settings.glue_database)
    assert glue.partitions(STAGED) == {}
    table = boto3.client("glue").get_table(DatabaseName=aws_settings.glue_database, Name=STAGED)
    location = table["Table"]["StorageDescriptor"]["Location"]
    assert location == f"{aws_settings.lake_root}/_staging/clicks/"


def test_a_failed_query_leaves_no_staging_partition(
    aws_settings: PipelineSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = boto3.client("athena")

    def fail(parsed: dict[str, Any], **_: Any) -> None:
        parsed["QueryExecution"]["Status"].update(State="FAILED", StateChangeReason="broken")

    client.meta.events.register("after-call.athena.GetQueryExecution", fail)
    monkeypatch.setattr(athena_module, "aws_client", lambda service: client)
    day = table_of(clicks(20))
    staged = _stage(S3Lake(root=aws_settings.lake_root), day)

    with pytest.raises(AthenaQueryFailed, match="broken"):
        stats_of_staged(_athena(aws_settings), staged, day.schema)

    assert GlueCatalog(database=aws_settings.glue_database).partitions(STAGED) == {}


def test_the_sample_reads_a_few_row_groups_of_the_staged_object_in_place(
    aws_settings: PipelineSettings, s3_reads: ObjectReads, tmp_path: Path
) -> None:
    day = table_of(clicks(20_000))
    staged = _stage(S3Lake(root=aws_settings.lake_root), day, row_group_rows=1_000)
    local = _stage(LocalLake(root=str(tmp_path / "lake")), day, row_group_rows=1_000)
    size = staged.written.bytes
    metadata = pq.ParquetFile(local.written.uri).metadata
    assert metadata.num_row_groups == 20

    with S3Lake(root=aws_settings.lake_root).staged_file(staged) as source:
        sample = sample_file(source, rows=100)

    assert sample.equals(sample_file(local.written.uri, rows=100))
    ranges = s3_reads.ranges(staged.written.uri)
    assert ranges
    assert None not in ranges, "a GET of the whole staged object"
    fetched = sum(read[1] - read[0] + 1 for read in ranges if read is not None)
    largest_groups = sorted((_stored_bytes(metadata.row_group(g)) for g in range(20)), reverse=True)
    # pyarrow reads a file's last 64 KiB first, then the rest of a larger footer.
    footer = 64 * 1024 + metadata.serialized_size + 8
    # The footer and the row groups sampled, nothing else: a fraction of the object.
    assert fetched <= sum(largest_groups[:SAMPLE_ROW_GROUPS]) + footer
    assert fetched < size / 3


def _stored_bytes(group: pq.RowGroupMetaData) -> int:
    return sum(group.column(c).total_compressed_size for c in range(group.num_columns))

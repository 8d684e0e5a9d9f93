"""The export against the store: every click exactly once, values equal, re-runs identical."""

from datetime import timedelta

import dagster as dg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ingest_service.contract import CLICK_SCHEMA, Click
from ingest_service.settings import PipelineSettings
from ingest_service.store.sqlite import SQLiteClickStore
from orchestration.resources import lake_access
from orchestration.resources.lake import CLICKS_TABLE, Lake
from tests.pipeline.conftest import DAYS, FIRST_DAY, Pipeline, days

EMPTY_DAY = FIRST_DAY + timedelta(days=DAYS)


def _lake(settings: PipelineSettings) -> Lake:
    return lake_access(settings).lake


def _expected(clicks: list[Click]) -> pa.Table:
    rows = [{name: getattr(c, name) for name in CLICK_SCHEMA.names} for c in clicks]
    return pa.Table.from_pylist(rows, schema=CLICK_SCHEMA)


def test_each_day_holds_exactly_the_stores_clicks(
    pipeline: Pipeline, settings: PipelineSettings, clicks: list[Click]
) -> None:
    result = pipeline.materialize(FIRST_DAY)

    assert result.success
    lake = _lake(settings)
    exported = lake.read_partition(CLICKS_TABLE, FIRST_DAY)
    expected = _expected([c for c in clicks if c.event_date == FIRST_DAY])
    assert exported.schema == CLICK_SCHEMA
    assert exported.sort_by("id").equals(expected.sort_by("id"))
    assert pc.count_distinct(exported.column("id")).as_py() == exported.num_rows


def test_a_rerun_replaces_the_partition_with_identical_rows(
    pipeline: Pipeline, settings: PipelineSettings
) -> None:
    pipeline.materialize(FIRST_DAY)
    lake = _lake(settings)
    first = lake.read_partition(CLICKS_TABLE, FIRST_DAY)

    assert pipeline.materialize(FIRST_DAY).success

    assert lake.read_partition(CLICKS_TABLE, FIRST_DAY).equals(first)
    directory = pq.ParquetFile(lake.partition_uri(CLICKS_TABLE, FIRST_DAY))
    assert directory.metadata.num_rows == first.num_rows
    assert directory.metadata.row_group(0).column(0).compression == "ZSTD"


def test_materialization_reports_rows_and_bytes(pipeline: Pipeline) -> None:
    result = pipeline.materialize(FIRST_DAY)

    materializations = result.asset_materializations_for_node("daily_lake")
    (materialization,) = [m for m in materializations if m.asset_key.path == ["clicks_export"]]
    assert materialization.partition == FIRST_DAY.isoformat()
    assert materialization.metadata["rows"] == dg.IntMetadataValue(400)
    assert isinstance(materialization.metadata["bytes"], dg.IntMetadataValue)
    assert (materialization.metadata["bytes"].value or 0) > 0


def test_an_empty_day_gives_an_empty_partition_with_the_schema(
    pipeline: Pipeline, settings: PipelineSettings
) -> None:
    assert pipeline.materialize(EMPTY_DAY).success

    exported = _lake(settings).read_partition(CLICKS_TABLE, EMPTY_DAY)
    assert exported.num_rows == 0
    assert exported.schema == CLICK_SCHEMA


def test_a_range_runs_once_and_exports_each_day(
    pipeline: Pipeline, settings: PipelineSettings, filled_store: SQLiteClickStore
) -> None:
    result = pipeline.materialize(FIRST_DAY, FIRST_DAY + timedelta(days=2))

    assert result.success
    assert pipeline.instance.get_runs_count() == 1
    lake = _lake(settings)
    assert lake.partition_days(CLICKS_TABLE) == days(FIRST_DAY, DAYS)
    for day in days(FIRST_DAY, DAYS):
        assert lake.read_partition(CLICKS_TABLE, day).num_rows == filled_store.count_day(day)

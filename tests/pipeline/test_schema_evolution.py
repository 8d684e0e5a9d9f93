"""A lake holding partitions written before contract v2's columns and after them, read
by DuckDB (the local engine and the summaries' SQL), pyarrow, and the Glue table's
column definition."""

import dataclasses
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import msgspec
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from ingest_service.contract import CLICK_COLUMNS, CLICK_SCHEMA, Click
from ingest_service.settings import PipelineSettings as Settings
from ingest_service.store.sqlite import SQLiteClickStore
from ingest_service.synthetic import synthetic_clicks
from orchestration.assets.summary_tables import SUMMARIES
from orchestration.query_output import run_query
from orchestration.resources import catalog_path, lake_access
from orchestration.resources.catalog import LocalCatalog
from orchestration.resources.glue_types import arrow_schema, glue_columns
from orchestration.resources.lake import CLICKS_TABLE, location_of
from orchestration.sql import typed_summary_sql
from tests.pipeline.conftest import Pipeline

V1_DAY = date(2026, 3, 1)
V2_DAY = V1_DAY + timedelta(days=1)
V1_SCHEMA = pa.schema(list(CLICK_SCHEMA)[: CLICK_COLUMNS.index("event_type")])
CLICKS, VIEWS = 30, 12


def _v1_partition(settings: Settings) -> None:
    """Day 1 as the pipeline wrote it before v2: the v1 columns, registered as such."""
    access = lake_access(settings)
    lake, catalog = access.lake, access.catalog
    assert isinstance(catalog, LocalCatalog)
    rows = [
        {name: getattr(c, name) for name in V1_SCHEMA.names}
        for c in synthetic_clicks(V1_DAY, 1, CLICKS, seed=3)
    ]
    written = lake.write_partition(
        CLICKS_TABLE, V1_DAY, pa.Table.from_pylist(rows, schema=V1_SCHEMA), V1_SCHEMA
    )
    catalog.ensure_table(CLICKS_TABLE, V1_SCHEMA, lake.table_uri(CLICKS_TABLE))
    catalog.add_partition(CLICKS_TABLE, V1_DAY, location_of(written.uri))


def _v2_events() -> list[Click]:
    # The generated journeys with v2's fields cleared, then set on the page views here.
    events = [
        msgspec.structs.replace(
            event,
            event_type="click",
            button=event.button or "Buy",
            referrer_host=None,
            utm_source=None,
            utm_medium=None,
            utm_campaign=None,
            properties=None,
        )
        for event in synthetic_clicks(V2_DAY, 1, CLICKS + VIEWS, seed=4)
    ]
    return [
        msgspec.structs.replace(
            event,
            event_type="pageview",
            button="",
            referrer_host="news.example",
            utm_source="newsletter",
            properties='{"plan":"pro"}',
        )
        if index < VIEWS
        else event
        for index, event in enumerate(events)
    ]


@pytest.fixture(scope="module")
def mixed_lake(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Built once for the module: its tests only read it."""
    directory = tmp_path_factory.mktemp("mixed")
    settings = Settings(data_dir=directory / "data", start_date=date(2026, 1, 1))
    store = SQLiteClickStore(settings.store_path)
    store.setup()
    try:
        _v1_partition(settings)
        store.write(_v2_events())
    finally:
        store.close()
    pipeline = Pipeline(settings)
    try:
        assert pipeline.materialize(V2_DAY).success
    finally:
        pipeline.instance.dispose()
    return settings


def _by_day(settings: Settings, where: str = "TRUE") -> dict[str, dict[str, object]]:
    rows = run_query(
        settings,
        "SELECT day, count(*) AS events,"
        " sum(CASE WHEN event_type = 'pageview' THEN 1 ELSE 0 END) AS views,"
        " count(referrer_host) AS referred, count(properties) AS with_properties"
        f" FROM clicks WHERE {where} GROUP BY day",
    ).to_pylist()
    return {str(row.pop("day")): row for row in rows}


def test_duckdb_reads_both_with_the_new_columns_null_in_the_old(mixed_lake: Settings) -> None:
    assert _by_day(mixed_lake) == {
        "01": {"events": CLICKS, "views": 0, "referred": 0, "with_properties": 0},
        "02": {"events": CLICKS + VIEWS, "views": VIEWS, "referred": VIEWS, "with_properties": 12},
    }
    # A range of old partitions only still has the new columns.
    assert _by_day(mixed_lake, "day = '01'") == {"01": _by_day(mixed_lake)["01"]}


def test_a_catalog_that_never_kept_partition_columns_reads_both(
    mixed_lake: Settings, tmp_path: Path
) -> None:
    # A copy of the module's lake (whose catalog points at the same files) to change.
    settings = dataclasses.replace(mixed_lake, data_dir=tmp_path / "data")
    shutil.copytree(mixed_lake.data_dir, settings.data_dir)
    with sqlite3.connect(catalog_path(settings)) as conn:
        conn.execute("UPDATE partitions SET schema = NULL WHERE day = ?", (V1_DAY.isoformat(),))
    assert _by_day(settings)["01"]["events"] == CLICKS
    assert _by_day(settings)["02"]["views"] == VIEWS


def test_summaries_count_old_rows_as_clicks_and_leave_page_views_out(
    mixed_lake: Settings,
) -> None:
    engine = lake_access(mixed_lake).query_engine
    (pages,) = [s for s in SUMMARIES if s.name == "clicks_by_page"]
    sql = typed_summary_sql(pages.name, pages.columns(), V1_DAY, V2_DAY, engine.dialect)
    table = engine.query(sql)
    per_day: dict[date, int] = {}
    for row in table.to_pylist():
        per_day[row["event_date"]] = per_day.get(row["event_date"], 0) + row["clicks"]
        per_day[row["event_date"]] += row["bot_clicks"]
    assert per_day == {V1_DAY: CLICKS, V2_DAY: CLICKS}


def _lake_root(settings: Settings) -> Path:
    return Path(lake_access(settings).lake.table_uri(CLICKS_TABLE))


def test_pyarrow_reads_both_with_the_contract_schema(mixed_lake: Settings) -> None:
    table = ds.dataset(_lake_root(mixed_lake), schema=CLICK_SCHEMA, format="parquet").to_table()
    assert table.schema == CLICK_SCHEMA
    assert table.num_rows == 2 * CLICKS + VIEWS
    assert table.column("event_type").null_count == CLICKS
    assert table.column("utm_source").to_pylist().count("newsletter") == VIEWS


def test_the_glue_columns_read_both_and_only_add_nullable_columns(mixed_lake: Settings) -> None:
    v1, v2 = glue_columns(V1_SCHEMA), glue_columns(CLICK_SCHEMA)
    # Athena reads Parquet by column name: new columns come last, the old ones unchanged.
    assert v2[: len(v1)] == v1
    assert all(CLICK_SCHEMA.field(c["Name"]).nullable for c in v2[len(v1) :])
    declared = arrow_schema(v2)
    table = ds.dataset(_lake_root(mixed_lake), schema=declared, format="parquet").to_table()
    assert table.num_rows == 2 * CLICKS + VIEWS
    assert table.column("referrer_host").to_pylist().count("news.example") == VIEWS

"""The day's places (its distinct coordinates, geocoded) are written by the run that
writes the regions' summary, from the day's published clicks: not by the export."""

import uuid
from collections.abc import Sequence
from datetime import date

import dagster as dg
import msgspec
import pyarrow.parquet as pq

from ingest_service.contract import Click
from ingest_service.settings import PipelineSettings
from ingest_service.store.sqlite import SQLiteClickStore
from ingest_service.synthetic import synthetic_clicks
from orchestration.assets.regions import publish_places
from orchestration.erase import VisitorIds, erase_from_lake
from orchestration.funnels import configured_funnels
from orchestration.query_output import run_query
from orchestration.resources import lake_access
from orchestration.resources.lake import CLICKS_TABLE, PLACES_TABLE
from tests.pipeline.conftest import FIRST_DAY, Pipeline
from tests.pipeline.test_write_audit_publish import put_latitude_999

LONDON = {"latitude": 51.51, "longitude": -0.13}
LYON = {"latitude": 45.76, "longitude": 4.84}


def _clicks(seed: int, count: int, **fields: object) -> list[Click]:
    """Human clicks of the day (page views made clicks, with a button), ids of their own."""
    return [
        msgspec.structs.replace(
            click,
            id=str(uuid.uuid4()),
            is_bot=False,
            event_type="click",
            button=click.button or "Buy",
            **fields,
        )
        for click in synthetic_clicks(FIRST_DAY, 1, count, seed=seed)
    ]


def _run(pipeline: Pipeline, *assets: str) -> dg.ExecuteInProcessResult:
    job = pipeline.defs.resolve_job_def("daily_pipeline_job")
    return job.execute_in_process(
        instance=pipeline.instance,
        partition_key=FIRST_DAY.isoformat(),
        asset_selection=[dg.AssetKey(asset) for asset in assets],
        raise_on_error=False,
    )


def _places(settings: PipelineSettings, day: date = FIRST_DAY) -> list[tuple[float, float]]:
    places = lake_access(settings).lake.read_partition(PLACES_TABLE, day)
    return list(zip(places["latitude"].to_pylist(), places["longitude"].to_pylist(), strict=True))


def _regions(settings: PipelineSettings) -> dict[tuple[str, str], int]:
    rows = run_query(settings, "SELECT country, region, clicks FROM clicks_by_region")
    return {(row["country"], row["region"]): row["clicks"] for row in rows.to_pylist()}


def _pipeline(
    settings: PipelineSettings, store: SQLiteClickStore, clicks: Sequence[Click]
) -> Pipeline:
    store.write(list(clicks))
    return Pipeline(settings)


def test_a_day_exported_without_places_gets_them_with_its_regions(
    settings: PipelineSettings, sqlite_store: SQLiteClickStore
) -> None:
    pipeline = _pipeline(settings, sqlite_store, [*_clicks(1, 5, **LONDON), *_clicks(2, 3, **LYON)])
    try:
        assert _run(pipeline, "clicks_export").success
        lake = lake_access(settings).lake
        assert lake.partition_days(CLICKS_TABLE) == [FIRST_DAY]
        assert lake.partition_days(PLACES_TABLE) == []

        assert _run(pipeline, "clicks_by_region").success
    finally:
        pipeline.instance.dispose()

    assert _places(settings) == [(45.76, 4.84), (51.51, -0.13)]
    assert _regions(settings) == {
        ("France", "Auvergne-Rhône-Alpes"): 3,
        ("United Kingdom", "England"): 5,
    }


def test_a_held_day_keeps_the_places_of_its_published_clicks(
    settings: PipelineSettings, sqlite_store: SQLiteClickStore
) -> None:
    pipeline = _pipeline(settings, sqlite_store, _clicks(1, 5, **LONDON))
    try:
        assert pipeline.materialize(FIRST_DAY).success
        published = pq.read_table(lake_access(settings).lake.partition_uri(PLACES_TABLE, FIRST_DAY))

        # A new place, and a bad row that holds the day back: neither is published.
        sqlite_store.write(_clicks(2, 3, **LYON))
        put_latitude_999(settings, FIRST_DAY)
        assert not pipeline.materialize(FIRST_DAY).success
    finally:
        pipeline.instance.dispose()

    assert _places(settings) == [(51.51, -0.13)]
    assert lake_access(settings).lake.read_partition(PLACES_TABLE, FIRST_DAY).equals(published)


def test_erase_rewrites_the_places_of_a_day_without_summaries(
    settings: PipelineSettings, sqlite_store: SQLiteClickStore
) -> None:
    visitor = _clicks(2, 3, **LYON, anonymous_id="visitor-in-lyon")
    pipeline = _pipeline(settings, sqlite_store, [*_clicks(1, 5, **LONDON), *visitor])
    try:
        assert _run(pipeline, "clicks_export").success
    finally:
        pipeline.instance.dispose()
    # Places but no summary: what an export wrote when it still wrote the day's places.
    access = lake_access(settings)
    publish_places(access.lake, access.catalog, [FIRST_DAY])
    assert _places(settings) == [(45.76, 4.84), (51.51, -0.13)]

    visitor_ids = VisitorIds(anonymous_id="visitor-in-lyon")
    erased = erase_from_lake(access, visitor_ids, configured_funnels(settings))

    assert erased.per_day == {FIRST_DAY: 3}
    assert erased.summary_days == ()
    assert _places(settings) == [(51.51, -0.13)]

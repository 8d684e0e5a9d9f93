"""Clicks into the store, then through the pipeline's own steps into the lake's summaries."""

from collections.abc import Iterable, Sequence
from datetime import date

from ingest_service.contract import CLICK_SCHEMA, Click
from ingest_service.settings import DataSettings
from ingest_service.store import ClickStore
from orchestration.assets.catalog import register_days
from orchestration.assets.export import export_day
from orchestration.assets.summary_tables import SUMMARIES, materialize_summary
from orchestration.resources import lake_access
from orchestration.resources.lake import CLICKS_TABLE


def store_and_summarize(
    settings: DataSettings, store: ClickStore, clicks: Iterable[Click], days: Sequence[date]
) -> None:
    """What the nightly run does for `days`: export, catalog, summary tables."""
    store.write(list(clicks))
    access = lake_access(settings)
    lake, catalog, engine = access.lake, access.catalog, access.query_engine
    for day in days:
        export_day(store, lake, day)
    catalog.ensure_table(CLICKS_TABLE, CLICK_SCHEMA, lake.table_uri(CLICKS_TABLE))
    register_days(catalog, lake, CLICKS_TABLE, days)
    for summary in SUMMARIES:
        materialize_summary(summary, days, engine, lake, catalog)

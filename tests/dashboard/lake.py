"""Clicks into the store, then through the pipeline's own steps into the lake's summaries."""

from collections.abc import Iterable, Sequence
from datetime import date

from ingest_service.contract import Click
from ingest_service.settings import DataSettings
from ingest_service.store import ClickStore
from orchestration.assets.catalog import register_clicks
from orchestration.assets.export import publish_day, stage_day
from orchestration.assets.summary_tables import publish_summaries
from orchestration.funnels import configured_funnels
from orchestration.resources import lake_access


def store_and_summarize(
    settings: DataSettings,
    store: ClickStore,
    clicks: Iterable[Click],
    days: Sequence[date],
) -> None:
    """What the nightly run does for `days`: export, catalog, summary tables (the funnels
    of the settings' funnel file)."""
    store.write(list(clicks))
    access = lake_access(settings)
    lake, catalog, engine = access.lake, access.catalog, access.query_engine
    for day in days:
        publish_day(lake, stage_day(store, lake, day))
    register_clicks(catalog, lake, days)
    publish_summaries(days, engine, lake, catalog, configured_funnels(settings))

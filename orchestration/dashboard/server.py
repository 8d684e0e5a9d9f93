"""Entry point for the ASGI server: the dashboard alone, built from the environment per worker.

Its figures come through the query engine (DuckDB, or Athena on AWS), its live panel from
the click store; it imports no Dagster (a test checks which modules it loads).
"""

from litestar import Litestar, Router

from ingest_service.app import FRONTEND_DIST, web_app
from ingest_service.settings import DashboardSettings
from ingest_service.store import ClickStore, open_store
from orchestration.dashboard import dashboard_routers
from orchestration.dashboard.journeys import JourneyFigures
from orchestration.funnels import configured_funnels
from orchestration.resources import lake_access


def dashboard_parts(settings: DashboardSettings) -> tuple[ClickStore, list[Router]]:
    """The store (set up) and the dashboard's routers, to serve alone or beside the intake."""
    store = open_store(settings)
    store.setup()
    figures = JourneyFigures.with_funnels(lake_access(settings), configured_funnels(settings))
    return store, dashboard_routers(settings, figures, pages_dir=FRONTEND_DIST)


def app_from_env() -> Litestar:
    settings = DashboardSettings.from_env()
    store, routers = dashboard_parts(settings)
    return web_app(settings, store, routers, static_dir=FRONTEND_DIST)

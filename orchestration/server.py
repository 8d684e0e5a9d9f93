"""Entry point for the ASGI server: the ingest service with the dashboard, from the environment.

It lives here, not in ingest_service, because the dashboard reads the pipeline's summary
tables through its query engine; the ingest service knows nothing of the pipeline.
"""

from litestar import Litestar

from ingest_service.app import FRONTEND_DIST, create_app
from ingest_service.settings import Settings
from ingest_service.store import open_store
from orchestration.dashboard import dashboard_routers
from orchestration.dashboard.figures import Figures
from orchestration.resources import build_resources


def app_from_env() -> Litestar:
    settings = Settings.from_env()
    store = open_store(settings)
    store.setup()
    figures = Figures.from_resources(build_resources(settings))
    dashboard = dashboard_routers(settings, figures, pages_dir=FRONTEND_DIST)
    return create_app(settings, store, extra_handlers=dashboard)

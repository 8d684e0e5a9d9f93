"""Entry point for the ASGI server of `clickstream serve`: the intake with the dashboard.

One process serving both is the convenience of `make run`; on AWS each runs alone
(`ingest_service.server`, `orchestration.dashboard.server`). Neither loads Dagster.
"""

from litestar import Litestar

from ingest_service.app import create_app
from ingest_service.settings import ServeSettings
from orchestration.dashboard.server import dashboard_parts


def app_from_env() -> Litestar:
    settings = ServeSettings.from_env()
    store, dashboard = dashboard_parts(settings)
    return create_app(settings, store, extra_handlers=dashboard)

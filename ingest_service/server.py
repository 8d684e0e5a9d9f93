"""Entry point for the ASGI server: the intake alone, built from the environment per worker.

It imports neither the pipeline nor the dashboard: a test checks which modules it loads.
"""

from litestar import Litestar

from ingest_service.app import create_app
from ingest_service.settings import IntakeSettings
from ingest_service.store import open_store


def app_from_env() -> Litestar:
    settings = IntakeSettings.from_env()
    store = open_store(settings)
    store.setup()
    return create_app(settings, store)

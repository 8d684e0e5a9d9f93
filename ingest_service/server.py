"""Entry point for the ASGI server: the app built from the environment, once per worker."""

from litestar import Litestar

from ingest_service.app import create_app
from ingest_service.settings import Settings
from ingest_service.store import open_store


def app_from_env() -> Litestar:
    settings = Settings.from_env()
    store = open_store(settings)
    store.setup()
    return create_app(settings, store)

"""The ingest service's Litestar application, built from settings and a store."""

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import NotFoundException
from litestar.openapi import OpenAPIConfig
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from ingest_service import routes, user_agent
from ingest_service.app_pages import app_page_fallback
from ingest_service.intake import Intake
from ingest_service.problems import problem_details_plugin
from ingest_service.rate_limit import ClientAdmission
from ingest_service.read_access import ReadAccess
from ingest_service.request_target import RequestPathCheck
from ingest_service.security_headers import security_headers_hook
from ingest_service.settings import IntakeSettings, ReadSettings
from ingest_service.store import ClickStore
from ingest_service.validation import ClickNormalizer

FRONTEND_DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"
OPENAPI_PATH = "/schema"


def create_app(
    settings: IntakeSettings,
    store: ClickStore,
    *,
    extra_handlers: Sequence[ControllerRouterHandler] = (),
    static_dir: Path | None = FRONTEND_DIST,
) -> Litestar:
    """The intake, the probes, any extra routers, and the built frontend when there is one."""
    intake = Intake(
        store,
        ClickNormalizer(client_tz=settings.client_tz, geo_precision=settings.geo_precision),
        max_batch_clicks=settings.max_batch_clicks,
    )
    admission = ClientAdmission(
        settings.rate_limit,
        trusted_proxies=settings.trusted_proxies,
        state_path=settings.host_state_dir / "rate_limit.sqlite3",
    )
    return web_app(
        settings,
        store,
        [routes.post_click, routes.post_click_batch, *extra_handlers],
        static_dir=static_dir,
        dependencies={"intake": Provide(lambda: intake, sync_to_thread=False)},
        state=State({"admission": admission}),
        cors_config=_cors(settings),
        request_max_body_size=settings.max_body_bytes,
        on_startup=[user_agent.warm_up],
        on_shutdown=[admission.close],
    )


def web_app(
    settings: ReadSettings,
    store: ClickStore,
    handlers: Sequence[ControllerRouterHandler],
    *,
    static_dir: Path | None,
    dependencies: Mapping[str, Provide] | None = None,
    on_shutdown: Sequence[Callable[[], object]] = (),
    **options: Any,
) -> Litestar:
    """What every process serving HTTP has: the probes, problem details, the security
    headers, the OpenAPI page for readers, the store closed on shutdown."""
    routers: list[ControllerRouterHandler] = [routes.health, routes.ready, *handlers]
    if static_dir is not None and (static_dir / "index.html").is_file():
        routers.append(
            create_static_files_router(
                path="/",
                directories=[static_dir],
                html_mode=True,
                exception_handlers={
                    NotFoundException: app_page_fallback(static_dir / "index.html")
                },
            )
        )
    return Litestar(
        route_handlers=routers,
        dependencies={
            "store": Provide(lambda: store, sync_to_thread=False),
            **(dependencies or {}),
        },
        plugins=[problem_details_plugin()],
        middleware=[RequestPathCheck()],
        before_send=[security_headers_hook(OPENAPI_PATH)],
        openapi_config=OpenAPIConfig(
            title="ClickStream Analytics",
            version="1",
            use_handler_docstrings=True,
            # The schema lists the read API: it is readable by those who may read.
            openapi_router=Router(
                path=OPENAPI_PATH, guards=[ReadAccess(settings).guard], route_handlers=[]
            ),
        ),
        on_shutdown=[*on_shutdown, store.close],
        **options,
    )


def _cors(settings: IntakeSettings) -> CORSConfig | None:
    if not settings.cors_origins:
        return None
    return CORSConfig(
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Content-Type", "Authorization"],
        # The tracker on another origin must read Retry-After to honour a 429.
        expose_headers=["Retry-After"],
        max_age=600,
    )

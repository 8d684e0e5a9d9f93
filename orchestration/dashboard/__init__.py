"""The built-in dashboard: its page at /dashboard and its JSON API at /api/dashboard.

Served alone by `orchestration.dashboard.server`, or beside the intake by
`orchestration.server` (`clickstream serve`); both are readable only by
those `ReadAccess` lets in (loopback clients, or a read token).
"""

from pathlib import Path

from litestar import Router
from litestar.di import Provide

from ingest_service.app_pages import API_PREFIX
from ingest_service.read_access import ReadAccess
from ingest_service.settings import DashboardSettings
from ingest_service.sign_in import SignInThrottle
from orchestration.dashboard import api, pages
from orchestration.dashboard.figures import Dimension
from orchestration.dashboard.journey_api import journey_handlers
from orchestration.dashboard.journeys import JourneyFigures
from orchestration.dashboard.live import Clock, lake_schedule, live, utc_now

API_PATH = f"{API_PREFIX}dashboard"
_REGION_IN_COUNTRY = (
    "CASE WHEN region = 'unknown' AND country = 'unknown' THEN 'unknown'"
    " ELSE region || ', ' || country END"
)
RANKINGS = (
    ("buttons", Dimension("clicks_by_button", "button"), "buttons"),
    ("pages", Dimension("clicks_by_page", "page"), "pages"),
    ("devices/types", Dimension("clicks_by_device", "device_type"), "device types"),
    ("devices/browsers", Dimension("clicks_by_device", "browser"), "browsers"),
    ("devices/operating-systems", Dimension("clicks_by_device", "os"), "operating systems"),
    ("geo/countries", Dimension("clicks_by_region", "country"), "countries"),
    # A region's name alone is ambiguous (Georgia, Punjab): it is ranked with its country.
    ("geo/regions", Dimension("clicks_by_region", _REGION_IN_COUNTRY), "regions"),
)


def dashboard_routers(
    settings: DashboardSettings,
    figures: JourneyFigures,
    *,
    pages_dir: Path,
    clock: Clock = utc_now,
) -> list[Router]:
    access = ReadAccess(settings)
    schedule = lake_schedule(settings.schedule_cron)
    api_router = Router(
        path=API_PATH,
        guards=[access.guard],
        route_handlers=[
            live,
            pages.reader,
            *api.period_handlers(),
            *(h for path, dim, what in RANKINGS for h in api.ranking_handlers(path, dim, what)),
            *journey_handlers(),
        ],
        dependencies={
            "figures": Provide(lambda: figures, sync_to_thread=False),
            "clock": Provide(lambda: clock, sync_to_thread=False),
            "read_access": Provide(lambda: access, sync_to_thread=False),
            "schedule": Provide(lambda: schedule, sync_to_thread=False),
        },
    )
    throttle = SignInThrottle(
        settings.host_state_dir / "sign_in.sqlite3", trusted_proxies=settings.trusted_proxies
    )
    page_router = Router(
        path=pages.DASHBOARD_PATH,
        route_handlers=[pages.dashboard_page, pages.log_in, pages.log_out],
        dependencies={
            "read_access": Provide(lambda: access, sync_to_thread=False),
            "sign_in": Provide(lambda: throttle, sync_to_thread=False),
            "pages_dir": Provide(lambda: pages_dir, sync_to_thread=False),
        },
    )
    return [api_router, page_router]

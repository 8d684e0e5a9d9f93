"""The generated corpus of odd values, thrown at every endpoint and every field: never a 5xx.

The app is the whole service (intake, dashboard, sign-in, OpenAPI, static files) over a
lake with summaries, so that dates which pass validation reach the SQL too.
"""

import itertools
import uuid
from collections.abc import AsyncIterator, Iterable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from ingest_service.app import create_app
from ingest_service.settings import ServeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from orchestration.dashboard import dashboard_routers
from orchestration.dashboard.journeys import JourneyFigures
from orchestration.resources import lake_access
from tests.dashboard.conftest import FROM_INTERNET, NOW, READ_TOKEN, dashboard_settings
from tests.dashboard.lake import store_and_summarize
from tests.dashboard.seed import DAYS, seeded_clicks
from tests.ingest.clicks import seed_click, tracker_click
from tests.odd_values import (
    DATE_PARAMETERS,
    JSON_VALUES,
    QUERY_VALUES,
    SHAPES,
    SPECIAL_CHARS,
    TEXT,
    leaf_paths,
    with_value,
)

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
Client = AsyncTestClient[Litestar]
BATCH = 500
READER = {"Authorization": f"Bearer {READ_TOKEN}"}


@pytest.fixture(scope="module")
def seeded_settings(tmp_path_factory: pytest.TempPathFactory) -> ServeSettings:
    settings = dashboard_settings(tmp_path_factory.mktemp("odd"))
    store = SQLiteClickStore(settings.store_path)
    store.setup()
    try:
        store_and_summarize(settings, store, seeded_clicks(), DAYS[:2])
    finally:
        store.close()
    return settings


@pytest.fixture
async def client(
    seeded_settings: ServeSettings, tmp_path: Path, pages_dir: Path
) -> AsyncIterator[Client]:
    (pages_dir / "index.html").write_text("<title>app</title>")
    store = SQLiteClickStore(seeded_settings.store_path)
    store.setup()
    figures = JourneyFigures.from_lake(lake_access(seeded_settings))
    routers = dashboard_routers(seeded_settings, figures, pages_dir=pages_dir, clock=lambda: NOW)
    app = create_app(seeded_settings, store, extra_handlers=routers, static_dir=pages_dir)
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


def _assert_below_500(response: Any, what: object) -> None:
    assert response.status_code < 500, (what, response.status_code, response.text[:300])


def _fresh(click: dict[str, Any]) -> dict[str, Any]:
    return {**click, "id": str(uuid.uuid4())}


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


@pytest.mark.parametrize("make_click", [seed_click, tracker_click])
async def test_every_click_field_in_a_batch(client: Client, make_click: Any) -> None:
    click = make_click()
    for path in leaf_paths(click):
        items = [with_value(_fresh(click), path, value) for value in JSON_VALUES]
        for chunk in _chunks(items):
            response = await client.post("/clicks/batch", json={"clicks": chunk})
            _assert_below_500(response, path)
            results = response.json()["results"]
            assert len(results) == len(chunk)
            rejected = [r for r in results if r["status"] == "rejected"]
            # A refused item names a field; the valid ones around it are stored.
            assert all(error["field"] for r in rejected for error in r["errors"]), path


@pytest.mark.parametrize("make_click", [seed_click, tracker_click])
async def test_every_click_field_alone(client: Client, make_click: Any) -> None:
    click = make_click()
    values = [*SHAPES, *TEXT[::4], -(2**64), 2**64, 1e308]
    for path, value in itertools.product(leaf_paths(click), values):
        response = await client.post("/clicks", json=with_value(_fresh(click), path, value))
        _assert_below_500(response, (path, value))


def _routes(app: Litestar, method: str) -> list[str]:
    return sorted(
        route.path
        for route in app.routes
        if isinstance(route, HTTPRoute) and method in route.methods and "{" not in route.path
    )


async def test_every_query_parameter_of_every_endpoint(client: Client) -> None:
    paths = [p for p in _routes(client.app, "GET") if p.startswith("/api/dashboard/")]
    assert "/api/dashboard/geo/regions.csv" in paths
    for path, name in itertools.product(paths, ["start", "end", "limit"]):
        for value in QUERY_VALUES:
            response = await client.get(path, params={name: value}, headers=READER)
            _assert_below_500(response, (path, name, value))


async def test_raw_query_strings(client: Client) -> None:
    queries = ["start=%ff", "limit=%00", "end=%c0%af", "%ff=1", "start=1&start=2", "start[]=x"]
    queries += ["limit=1&limit=", "start=2026-03-01&&&end", "=", "&", "start=" + "9" * 5000]
    for path, query in itertools.product(
        ["/api/dashboard/buttons.csv", "/api/dashboard/live"], queries
    ):
        response = await client.get(f"{path}?{query}", headers=READER)
        _assert_below_500(response, (path, query))


async def test_extreme_ranges_are_an_answer_or_a_400(client: Client) -> None:
    days = [d for d in DATE_PARAMETERS if _is_date(d)]
    pairs = [*itertools.product(days, days), *((d, None) for d in days), *((None, d) for d in days)]
    for path in ("/api/dashboard/clicks/daily", "/api/dashboard/geo/regions.csv"):
        for start, end in pairs:
            params = {k: v for k, v in (("start", start), ("end", end)) if v}
            response = await client.get(path, params=params, headers=READER)
            assert response.status_code in (200, 400), (path, params, response.text[:300])


async def test_every_path_with_an_odd_suffix(client: Client) -> None:
    suffixes = [quote(char + "x", safe="") for char in SPECIAL_CHARS]
    suffixes += ["%", "%zz", "%c0%af", "%2e%2e/%2e%2e/etc/passwd", "x/" * 1100, "y" * 256]
    for method in ("GET", "POST"):
        for path, suffix in itertools.product(_routes(client.app, method), suffixes):
            response = await client.request(method, path + suffix, headers=FROM_INTERNET)
            _assert_below_500(response, (method, path, suffix))


HEADERS = ["x-forwarded-for", "x-forwarded-proto", "authorization", "cookie", "origin"]
HEADERS += ["referer", "content-type", "accept", "host", "user-agent", "accept-encoding"]


async def test_every_header_with_odd_values(client: Client) -> None:
    # Header values are bytes on the wire; line breaks would end the header.
    values = [(char + "x").encode() for char in SPECIAL_CHARS if char not in "\r\n"]
    values += [b"\xff\xfe", b"Bearer", b"Bearer ", b"a=b; =; ;;", b"[::1]:99999", b"x" * 8000]
    requests = [
        ("GET", "/api/dashboard/live"),
        ("GET", "/dashboard"),
        ("POST", "/clicks"),
        ("POST", "/dashboard/login"),
        ("POST", "/dashboard/logout"),
        ("GET", "/schema/openapi.json"),
    ]
    for (method, path), header, value in itertools.product(requests, HEADERS, values):
        body = b"token=x" if method == "POST" else None
        response = await client.request(
            method, path, headers=[(header.encode(), value)], content=body
        )
        _assert_below_500(response, (method, path, header, value))


async def test_the_sign_in_form_with_odd_fields(client: Client) -> None:
    bodies: list[dict[str, Any]] = [{"token": t} for t in TEXT[::3]]
    bodies += [{"token": ["a", "b"]}, {"other": "x"}, {}]
    raw = [b"token=%ff", b"token=%00", b"token", b"=&=&", b"\xff\xfe", b"token=" + b"a" * 200_000]
    for body in bodies:
        response = await client.post("/dashboard/login", data=body, headers=FROM_INTERNET)
        _assert_below_500(response, body)
    form = {"content-type": "application/x-www-form-urlencoded", **FROM_INTERNET}
    for content in raw:
        response = await client.post("/dashboard/login", content=content, headers=form)
        _assert_below_500(response, content[:40])


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10

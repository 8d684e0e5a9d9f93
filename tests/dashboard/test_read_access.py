"""Who may read: those with a read token (Bearer or cookie); loopback peers are in
tests/edge, as the test client's peer is no address."""

from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from ingest_service.app import create_app
from ingest_service.read_access import READ_COOKIE
from ingest_service.settings import ServeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from tests.dashboard.conftest import FROM_INTERNET, OTHER_TOKEN, READ_TOKEN
from tests.ingest.clicks import tracker_click

pytestmark = pytest.mark.anyio
Client = AsyncTestClient[Litestar]
READ_PATHS = [
    "/dashboard",
    "/api/dashboard/live",
    "/api/dashboard/clicks/daily",
    "/api/dashboard/buttons.csv",
    "/schema/openapi.json",
]


@pytest.fixture
async def client(dashboard_app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=dashboard_app) as test_client:
        yield test_client


@pytest.mark.parametrize(
    "forged",
    [
        {"X-Forwarded-For": "127.0.0.1"},
        {"X-Forwarded-For": "203.0.113.7, 127.0.0.1"},
        {"X-Forwarded-For": "::1"},
        {"Forwarded": "for=127.0.0.1"},
        {"X-Real-IP": "127.0.0.1"},
    ],
)
@pytest.mark.parametrize("path", READ_PATHS)
async def test_a_forwarded_loopback_address_is_no_credential(
    client: Client, path: str, forged: dict[str, str]
) -> None:
    assert (await client.get(path, headers=forged)).status_code == 401


@pytest.mark.parametrize("path", READ_PATHS[1:])
async def test_others_without_a_token_get_401_problem_details(client: Client, path: str) -> None:
    response = await client.get(path, headers=FROM_INTERNET)

    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_the_page_shows_the_sign_in_form_to_others(client: Client) -> None:
    response = await client.get("/dashboard", headers=FROM_INTERNET)

    assert response.status_code == 401
    assert "the sign-in form" in response.text
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("token", [READ_TOKEN, OTHER_TOKEN])
@pytest.mark.parametrize("path", READ_PATHS)
async def test_any_configured_bearer_token_reads(client: Client, path: str, token: str) -> None:
    headers = {**FROM_INTERNET, "Authorization": f"Bearer {token}"}

    assert (await client.get(path, headers=headers)).status_code == 200


async def test_a_wrong_token_is_refused(client: Client) -> None:
    headers = {**FROM_INTERNET, "Authorization": f"Bearer {READ_TOKEN}x"}

    assert (await client.get("/api/dashboard/live", headers=headers)).status_code == 401


async def test_the_sign_in_form_sets_an_httponly_strict_cookie_that_reads(client: Client) -> None:
    response = await client.post(
        "/dashboard/login",
        data={"token": READ_TOKEN},
        headers=FROM_INTERNET,
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{READ_COOKIE}=")
    assert READ_TOKEN not in cookie  # a signed session, not the token
    assert "Max-Age=43200" in cookie  # it expires after 12 hours
    assert "HttpOnly" in cookie
    assert "samesite=strict" in cookie.lower()
    assert "Secure" not in cookie
    # The client keeps the cookie, as a browser would.
    assert (
        await client.get("/dashboard", headers=FROM_INTERNET)
    ).text == "<title>the dashboard</title>"
    assert (await client.get("/api/dashboard/live", headers=FROM_INTERNET)).status_code == 200


async def test_the_cookie_is_secure_behind_an_https_proxy(client: Client) -> None:
    headers = {**FROM_INTERNET, "X-Forwarded-Proto": "https"}
    response = await client.post(
        "/dashboard/login", data={"token": READ_TOKEN}, headers=headers, follow_redirects=False
    )

    assert "Secure" in response.headers["set-cookie"]


async def test_a_wrong_token_in_the_form_sets_no_cookie(client: Client) -> None:
    response = await client.post(
        "/dashboard/login",
        data={"token": "not-the-token-at-all"},
        headers=FROM_INTERNET,
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard?login=failed"
    assert "set-cookie" not in response.headers


async def test_signing_out_clears_the_cookie(client: Client) -> None:
    await client.post("/dashboard/login", data={"token": READ_TOKEN}, headers=FROM_INTERNET)
    await client.post("/dashboard/logout", headers=FROM_INTERNET)

    assert (await client.get("/api/dashboard/live", headers=FROM_INTERNET)).status_code == 401


async def test_only_a_signed_in_browser_is_told_it_can_sign_out(client: Client) -> None:
    async def signed_in(headers: dict[str, str]) -> bool:
        answer: bool = (await client.get("/api/dashboard/reader", headers=headers)).json()[
            "signed_in"
        ]
        return answer

    # A token in a header is not a sign-in: nothing to sign out of.
    assert not await signed_in({**FROM_INTERNET, "Authorization": f"Bearer {READ_TOKEN}"})
    await client.post("/dashboard/login", data={"token": READ_TOKEN}, headers=FROM_INTERNET)
    assert await signed_in(FROM_INTERNET)
    await client.post("/dashboard/logout", headers=FROM_INTERNET)
    assert (await client.get("/api/dashboard/reader", headers=FROM_INTERNET)).status_code == 401


async def test_the_intake_and_probes_stay_open(client: Client) -> None:
    assert (
        await client.post("/clicks", json=tracker_click(), headers=FROM_INTERNET)
    ).status_code == 202
    for probe in ("/health", "/ready"):
        assert (await client.get(probe, headers=FROM_INTERNET)).status_code == 200


async def test_without_configured_tokens_nobody_reads_through_a_proxy(
    tmp_path_factory: pytest.TempPathFactory, sqlite_store: SQLiteClickStore
) -> None:
    settings = ServeSettings(data_dir=tmp_path_factory.mktemp("open"), trusted_proxies=1)
    app = create_app(settings, sqlite_store, static_dir=None)
    async with AsyncTestClient(app=app) as client:
        for forwarded_for in ("127.0.0.1", "203.0.113.7"):
            headers = {"X-Forwarded-For": forwarded_for}
            assert (await client.get("/schema/openapi.json", headers=headers)).status_code == 401
        assert (await client.get("/schema/openapi.json")).status_code == 401

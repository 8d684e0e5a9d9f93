"""The sign-in form: a signed, expiring session in the cookie, posts from this site only,
and wrong tokens throttled per client with the lockout logged."""

import dataclasses
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from ingest_service.app import create_app
from ingest_service.read_access import READ_COOKIE
from ingest_service.sessions import SESSION_MAX_AGE_S, Sessions
from ingest_service.settings import ServeSettings
from ingest_service.sign_in import TRIES
from ingest_service.store.sqlite import SQLiteClickStore
from orchestration.dashboard import dashboard_routers
from orchestration.dashboard.journeys import JourneyFigures
from orchestration.resources import lake_access
from tests.dashboard.conftest import FROM_INTERNET, NOW, OTHER_TOKEN, READ_TOKEN

pytestmark = pytest.mark.anyio
Client = AsyncTestClient[Litestar]
SITE = {**FROM_INTERNET, "Host": "dash.example", "Origin": "https://dash.example"}
LIVE = "/api/dashboard/live"


def _app(settings: ServeSettings, store: SQLiteClickStore, pages: Path) -> Litestar:
    figures = JourneyFigures.from_lake(lake_access(settings))
    routers = dashboard_routers(settings, figures, pages_dir=pages, clock=lambda: NOW)
    return create_app(settings, store, extra_handlers=routers, static_dir=None)


@pytest.fixture
async def client(
    settings: ServeSettings, sqlite_store: SQLiteClickStore, pages_dir: Path
) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=_app(settings, sqlite_store, pages_dir)) as test_client:
        yield test_client


async def _sign_in(client: Client, token: str, headers: dict[str, str] = SITE) -> int:
    response = await client.post(
        "/dashboard/login", data={"token": token}, headers=headers, follow_redirects=False
    )
    return response.status_code if response.status_code != 303 else _outcome(response)


def _outcome(response: object) -> int:
    location = response.headers["location"]  # type: ignore[attr-defined]
    return 401 if location.endswith("login=failed") else 200


# Cross-site posts


@pytest.mark.parametrize(
    "origin",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "https://dash.example.evil.example"},
        {"Origin": "https://dash.example:8443"},
        {"Origin": "null"},
        {"Origin": "file://"},
        {"Origin": "http://127.0.0.1:8000"},
        {"Referer": "https://evil.example/page"},
        {"Origin": "https://evil.example", "Referer": "https://dash.example/dashboard"},
    ],
)
async def test_a_form_posted_from_another_site_is_403(
    client: Client, origin: dict[str, str]
) -> None:
    headers = {**FROM_INTERNET, "Host": "dash.example", **origin}
    for path, data in (("/dashboard/login", {"token": READ_TOKEN}), ("/dashboard/logout", {})):
        response = await client.post(path, data=data, headers=headers, follow_redirects=False)

        assert response.status_code == 403, (path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "set-cookie" not in response.headers


@pytest.mark.parametrize(
    "origin",
    [
        {"Origin": "https://dash.example"},
        {"Origin": "http://DASH.example:80"},
        {"Referer": "https://dash.example/dashboard?login=failed"},
        {},  # no browser page: a script, which no other site can drive
    ],
)
async def test_a_form_posted_from_this_site_signs_in(
    client: Client, origin: dict[str, str]
) -> None:
    headers = {**FROM_INTERNET, "Host": "dash.example", **origin}

    assert await _sign_in(client, READ_TOKEN, headers) == 200
    assert (await client.get(LIVE, headers=FROM_INTERNET)).status_code == 200


async def test_the_host_a_proxy_was_asked_for_counts_as_this_site(client: Client) -> None:
    # A proxy that sends its own upstream address as Host names the real one beside it.
    headers = {
        **FROM_INTERNET,
        "Host": "127.0.0.1:8000",
        "X-Forwarded-Host": "dash.example",
        "Origin": "https://dash.example",
    }

    assert await _sign_in(client, READ_TOKEN, headers) == 200


# The session in the cookie


async def test_signing_out_from_this_site_clears_the_session(client: Client) -> None:
    assert await _sign_in(client, READ_TOKEN) == 200
    response = await client.post("/dashboard/logout", headers=SITE, follow_redirects=False)

    assert response.status_code == 303
    assert "Max-Age=0" in response.headers["set-cookie"]
    assert (await client.get(LIVE, headers=FROM_INTERNET)).status_code == 401


@pytest.mark.parametrize(
    "forge",
    [
        lambda session: READ_TOKEN,  # the raw token is no session
        lambda session: session[:-2] + ("AA" if not session.endswith("AA") else "BB"),
        lambda session: session.replace(".", ".9", 1),  # a later expiry, signed by nobody
        lambda session: "",
        lambda session: "." * 3,
        lambda session: "x" * 5000,
    ],
)
async def test_a_forged_or_altered_session_does_not_read(client: Client, forge: object) -> None:
    assert await _sign_in(client, READ_TOKEN) == 200
    session = client.cookies[READ_COOKIE]
    client.cookies.set(READ_COOKIE, forge(session))  # type: ignore[operator]

    assert (await client.get(LIVE, headers=FROM_INTERNET)).status_code == 401


def test_a_session_expires() -> None:
    now = [1_000_000.0]
    sessions = Sessions([READ_TOKEN], clock=lambda: now[0])
    session = sessions.issue(READ_TOKEN)
    assert sessions.valid(session)
    now[0] += SESSION_MAX_AGE_S - 1
    assert sessions.valid(session)
    now[0] += 1
    assert not sessions.valid(session)


async def test_removing_a_token_from_the_configuration_ends_its_sessions(
    client: Client, settings: ServeSettings, sqlite_store: SQLiteClickStore, pages_dir: Path
) -> None:
    assert await _sign_in(client, READ_TOKEN) == 200
    session = client.cookies[READ_COOKIE]
    other_only = dataclasses.replace(settings, read_tokens=(OTHER_TOKEN,))

    async with AsyncTestClient(app=_app(other_only, sqlite_store, pages_dir)) as revoked:
        revoked.cookies.set(READ_COOKIE, session)
        assert (await revoked.get(LIVE, headers=FROM_INTERNET)).status_code == 401
    # The same configuration in another worker, or after a restart, still knows it.
    async with AsyncTestClient(app=_app(settings, sqlite_store, pages_dir)) as same:
        same.cookies.set(READ_COOKIE, session)
        assert (await same.get(LIVE, headers=FROM_INTERNET)).status_code == 200


# Guessing


async def test_wrong_tokens_lock_the_client_out_and_the_lockout_is_logged(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="ingest_service"):
        outcomes = [await _sign_in(client, f"guess-{n:012d}") for n in range(TRIES)]
        locked = await client.post("/dashboard/login", data={"token": READ_TOKEN}, headers=SITE)

    assert outcomes == [401] * TRIES
    # Locked out, the right token is refused too: the answer tells nothing of a guess.
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["retry-after"]) <= 60
    assert locked.json()["type"] == "/problems/sign-in-locked"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "sign-in locked for '203.0.113.7'" in warnings[0].getMessage()
    wrong = [r for r in caplog.records if "with a wrong token" in r.getMessage()]
    assert len(wrong) == TRIES - 1
    # Another client is not locked out by this one.
    elsewhere = {**SITE, "X-Forwarded-For": "198.51.100.9"}
    assert await _sign_in(client, READ_TOKEN, elsewhere) == 200


async def test_right_tokens_do_not_count_against_the_client(client: Client) -> None:
    for _ in range(TRIES * 2):
        assert await _sign_in(client, READ_TOKEN) == 200
    assert await _sign_in(client, "a-wrong-guess-0000") == 401


async def test_the_lockout_holds_across_the_workers_of_the_host(
    client: Client, settings: ServeSettings, sqlite_store: SQLiteClickStore, pages_dir: Path
) -> None:
    for n in range(TRIES):
        await _sign_in(client, f"guess-{n:012d}")
    # Another worker of the same server: its own app, the same state dir.
    async with AsyncTestClient(app=_app(settings, sqlite_store, pages_dir)) as other_worker:
        assert await _sign_in(other_worker, READ_TOKEN) == 429

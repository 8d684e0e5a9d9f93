"""Per-client token buckets, and the 429 the intake answers with them."""

import dataclasses

import pytest

from ingest_service.rate_limit import ClickRateLimiter, RateLimited
from ingest_service.settings import IntakeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from tests.ingest.apps import TestClient, app_client
from tests.ingest.clicks import seed_click


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_minute_of_clicks_then_refills() -> None:
    clock = FakeClock()
    limiter = ClickRateLimiter(60, clock=clock)
    for _ in range(60):
        limiter.admit("a")
    with pytest.raises(RateLimited) as raised:
        limiter.admit("a")
    assert raised.value.retry_after_s == 1
    limiter.admit("b")  # each client has its own bucket
    clock.now += 1.0
    limiter.admit("a")
    with pytest.raises(RateLimited):
        limiter.admit("a")


def test_batch_counts_its_items_and_says_how_long_to_wait() -> None:
    clock = FakeClock()
    limiter = ClickRateLimiter(120, clock=clock)  # 2 clicks a second
    limiter.admit("a", 100)
    with pytest.raises(RateLimited) as raised:
        limiter.admit("a", 50)
    assert raised.value.retry_after_s == 15  # 30 missing at 2 a second
    limiter.admit("a", 20)  # a refused batch was not charged
    clock.now += 15
    limiter.admit("a", 30)


def test_batch_larger_than_the_allowance_passes_once_then_owes() -> None:
    clock = FakeClock()
    limiter = ClickRateLimiter(60, clock=clock)
    limiter.admit("a", 90)
    with pytest.raises(RateLimited) as raised:
        limiter.admit("a", 1)
    assert raised.value.retry_after_s == 31  # 30 owed plus the one asked for


def test_idle_buckets_are_forgotten() -> None:
    clock = FakeClock()
    limiter = ClickRateLimiter(60, clock=clock)
    limiter.admit("203.0.113.1")
    clock.now += 30
    limiter.admit("203.0.113.2")
    assert len(limiter) == 2
    clock.now += 31
    limiter.admit("203.0.113.3")
    assert len(limiter) == 2  # the first, idle a minute, is full again: forgotten
    clock.now += 60
    limiter.admit("203.0.113.3")
    assert len(limiter) == 1


@pytest.mark.anyio
async def test_intake_answers_429_with_retry_after(
    settings: IntakeSettings, sqlite_store: SQLiteClickStore
) -> None:
    limited = dataclasses.replace(settings, rate_limit=5)
    async with app_client(limited, sqlite_store) as client:
        batch = await client.post("/clicks/batch", json={"clicks": [seed_click()] * 4})
        assert batch.status_code == 202
        assert (await client.post("/clicks", json=seed_click())).status_code == 202
        refused = await client.post("/clicks", json=seed_click())
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "12"  # 5 a minute: one every 12 s
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["type"] == "/problems/rate-limited"
        too_big = await client.post("/clicks/batch", json={"clicks": [seed_click()] * 2})
        assert too_big.status_code == 429
        assert (await client.get("/health")).status_code == 200  # probes are never limited


@pytest.mark.anyio
async def test_clients_behind_a_trusted_proxy_are_told_apart(
    settings: IntakeSettings, sqlite_store: SQLiteClickStore
) -> None:
    behind_alb = dataclasses.replace(settings, rate_limit=1, trusted_proxies=1)
    async with app_client(behind_alb, sqlite_store) as client:

        async def post_from(forwarded_for: str) -> int:
            headers = {"x-forwarded-for": forwarded_for}
            response = await client.post("/clicks", json=seed_click(), headers=headers)
            return response.status_code

        assert await post_from("203.0.113.1") == 202
        assert await post_from("203.0.113.2") == 202  # another visitor, same load balancer
        # A forged left-hand hop does not make a new client: the proxy's hop counts.
        assert await post_from("198.51.100.7, 203.0.113.1") == 429


@pytest.mark.anyio
async def test_forwarded_for_is_ignored_without_trusted_proxies(
    settings: IntakeSettings, sqlite_store: SQLiteClickStore
) -> None:
    direct = dataclasses.replace(settings, rate_limit=1)
    async with app_client(direct, sqlite_store) as client:
        first = await client.post(
            "/clicks", json=seed_click(), headers={"x-forwarded-for": "1.1.1.1"}
        )
        forged = await client.post(
            "/clicks", json=seed_click(), headers={"x-forwarded-for": "2.2.2.2"}
        )
        assert (first.status_code, forged.status_code) == (202, 429)


@pytest.mark.anyio
async def test_no_limit_when_off(client: TestClient) -> None:
    clicks = [seed_click() for _ in range(500)]
    for _ in range(3):
        response = await client.post("/clicks/batch", json={"clicks": clicks})
        assert response.status_code == 202

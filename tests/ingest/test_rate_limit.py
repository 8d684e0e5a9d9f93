"""Per-client token buckets shared by the workers of a host, and what the intake answers."""

import concurrent.futures
import dataclasses
import math
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from ingest_service.settings import IntakeSettings
from ingest_service.shared_buckets import SharedBuckets
from ingest_service.store.sqlite import SQLiteClickStore
from tests.ingest.apps import TestClient, app_client
from tests.ingest.clicks import seed_click
from tests.servers import serving


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def per_minute(path: Path, clicks: int, clock: FakeClock) -> SharedBuckets:
    return SharedBuckets(path, capacity=float(clicks), per_second=clicks / 60, clock=clock)


def test_bucket_allows_a_minute_of_clicks_then_refills(tmp_path: Path) -> None:
    clock = FakeClock()
    buckets = per_minute(tmp_path / "b.sqlite3", 60, clock)
    assert [buckets.take("a", 1).count for _ in range(61)] == [1] * 60 + [0]
    assert buckets.take("a", 1).retry_after_s == 1
    assert buckets.take("b", 1).count == 1  # each client has its own bucket
    clock.now += 1.0
    assert buckets.take("a", 1).count == 1
    assert buckets.take("a", 1).count == 0


def test_a_batch_takes_what_is_left_and_says_when_the_rest_fits(tmp_path: Path) -> None:
    clock = FakeClock()
    buckets = per_minute(tmp_path / "b.sqlite3", 120, clock)  # 2 clicks a second
    assert buckets.take("a", 100).count == 100
    partly = buckets.take("a", 50)
    assert (partly.count, partly.retry_after_s) == (20, 15)  # 30 refused, at 2 a second
    clock.now += 15
    assert buckets.take("a", 30).count == 30


def test_a_batch_larger_than_the_allowance_takes_a_full_bucket(tmp_path: Path) -> None:
    clock = FakeClock()
    buckets = per_minute(tmp_path / "b.sqlite3", 60, clock)
    taken = buckets.take("a", 90)
    assert (taken.count, taken.retry_after_s) == (60, 30)  # the 30 refused fit in 30 s


def test_tokens_given_back_are_there_again(tmp_path: Path) -> None:
    clock = FakeClock()
    buckets = per_minute(tmp_path / "b.sqlite3", 5, clock)
    assert buckets.take("a", 5).count == 5
    buckets.take("a", -2)
    assert buckets.take("a", 5).count == 2


def test_the_processes_of_a_host_share_the_buckets(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "b.sqlite3"
    workers = [per_minute(path, 60, clock) for _ in range(3)]
    taken = [workers[n % 3].take("a", 1).count for n in range(100)]
    assert sum(taken) == 60


def test_idle_buckets_are_forgotten(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "b.sqlite3"
    buckets = per_minute(path, 60, clock)

    def kept() -> int:
        with sqlite3.connect(path) as db:
            count: int = db.execute("SELECT count(*) FROM buckets").fetchone()[0]
            return count

    buckets.take("203.0.113.1", 1)
    clock.now += 30
    buckets.take("203.0.113.2", 1)
    assert kept() == 2
    clock.now += 31  # the first, idle more than the minute it takes to refill, goes
    buckets.take("203.0.113.3", 1)
    assert kept() == 2


@pytest.mark.anyio
async def test_intake_answers_429_with_retry_after(
    settings: IntakeSettings, sqlite_store: SQLiteClickStore
) -> None:
    limited = dataclasses.replace(settings, rate_limit=5)
    async with app_client(limited, sqlite_store) as client:
        batch = await client.post("/clicks/batch", json={"clicks": [seed_click()] * 4})
        assert batch.status_code == 202
        assert "retry-after" not in batch.headers
        assert (await client.post("/clicks", json=seed_click())).status_code == 202
        refused = await client.post("/clicks", json=seed_click())
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "12"  # 5 a minute: one every 12 s
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["type"] == "/problems/rate-limited"
        empty = await client.post("/clicks/batch", json={"clicks": [seed_click()] * 2})
        assert empty.status_code == 429  # nothing of it could be taken
        assert (await client.get("/health")).status_code == 200  # probes are never limited


@pytest.mark.anyio
@pytest.mark.parametrize("spent", [0, 10, 59])
async def test_a_batch_of_500_is_admitted_as_far_as_the_bucket_allows(
    settings: IntakeSettings, sqlite_store: SQLiteClickStore, spent: int
) -> None:
    limited = dataclasses.replace(settings, rate_limit=60)
    clicks = [seed_click() for _ in range(500)]
    async with app_client(limited, sqlite_store) as client:
        started = time.monotonic()
        if spent:
            earlier = [seed_click() for _ in range(spent)]
            first = await client.post("/clicks/batch", json={"clicks": earlier})
            assert first.json()["stored"] == spent

        response = await client.post("/clicks/batch", json={"clicks": clicks})
        # One click a second comes back while this runs: on a busy machine, a few.
        refilled = math.ceil(time.monotonic() - started)

    assert response.status_code == 202, response.text
    body = response.json()
    room = body["stored"]
    assert 60 - spent <= room <= 60 - spent + refilled
    assert body["rate_limited"] == 500 - room
    statuses = [r["status"] for r in body["results"]]
    assert statuses == ["stored"] * room + ["rate_limited"] * (500 - room)
    assert 60 - refilled <= int(response.headers["retry-after"]) <= 60  # a minute's worth back
    assert {r["retry_after"] for r in body["results"][room:]} == {
        int(response.headers["retry-after"])
    }
    assert [r["id"] for r in body["results"][room:]] == [c["id"] for c in clicks[room:]]
    # Nothing admitted is lost: exactly the admitted items are in the store.
    assert sqlite_store.count_day(datetime.now(UTC).date()) == spent + room


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


@pytest.mark.slow
def test_the_limit_holds_across_two_workers(tmp_path: Path) -> None:
    limit = {"CLICKSTREAM_RATE_LIMIT": "60"}
    with serving(tmp_path / "data", workers=2, settings=limit) as server:

        def post(clicks: int) -> list[int]:
            # Eight connections: the kernel hands them to both workers.
            with httpx.Client(base_url=server.base_url, timeout=30) as client:
                return [
                    client.post("/clicks", json=seed_click()).status_code for _ in range(clicks)
                ]

        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            statuses = [status for part in pool.map(post, [300 // 8 + 1] * 8) for status in part]
        elapsed_s = time.monotonic() - started

    accepted = statuses.count(202)
    assert statuses.count(429) == len(statuses) - accepted
    # A minute's allowance, plus one click a second for as long as the test ran (on a
    # busy machine, a while); a limit per worker would take twice both.
    assert 60 <= accepted <= 60 + elapsed_s + 1, (accepted, elapsed_s)

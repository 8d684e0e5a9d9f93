"""A 202 means stored: the server killed with SIGKILL under load loses no answered click."""

import asyncio
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from tests.ingest.clicks import seed_click
from tests.servers import kill, serving

pytestmark = pytest.mark.slow

CLICKS = 4_000
CONCURRENCY = 64
KILL_AFTER_ACCEPTED = 1_000


async def _send_until_killed(base_url: str, process: subprocess.Popen[bytes]) -> set[str]:
    """Posts clicks concurrently and kills the server mid-load; returns the ids answered 202."""
    accepted: set[str] = set()
    killed = asyncio.Event()
    slots = asyncio.Semaphore(CONCURRENCY)
    limits = httpx.Limits(max_connections=CONCURRENCY)

    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=10.0) as client:

        async def send(click: dict[str, object]) -> None:
            async with slots:
                if killed.is_set():
                    return
                try:
                    response = await client.post("/clicks", json=click)
                except httpx.TransportError:
                    return  # the server died while this one was in flight: not answered
                if response.status_code == 202:
                    accepted.add(str(click["id"]))
                if len(accepted) >= KILL_AFTER_ACCEPTED and not killed.is_set():
                    killed.set()
                    # Blocking on purpose: nothing else is answered while the server dies.
                    kill(process)

        await asyncio.gather(*(send(seed_click()) for _ in range(CLICKS)))
    return accepted


def _stored_ids(store_path: Path) -> set[str]:
    with closing(sqlite3.connect(store_path)) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM clicks")}


def test_every_accepted_click_survives_sigkill(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with serving(data_dir, workers=2) as server:
        accepted = asyncio.run(_send_until_killed(server.base_url, server.process))
        assert server.process.poll() is not None, "the server was not killed mid-load"
    assert len(accepted) >= KILL_AFTER_ACCEPTED

    # A restart recovers the write-ahead log; then the file alone is the truth.
    with serving(data_dir, workers=2) as server:
        assert httpx.get(f"{server.base_url}/ready").status_code == 200
    stored = _stored_ids(data_dir / "clicks.sqlite3")
    assert accepted - stored == set()
    assert len(stored) < CLICKS  # the kill did cut the load short

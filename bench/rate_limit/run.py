"""What the shared rate limit costs a request: one bucket update, and one click end to end.

    uv run python bench/rate_limit/run.py

Prints the median of 5 runs of each figure, with its baseline measured in the same run:
- a bucket update in the shared SQLite file, against the same update in a dict (the
  per-process limiter it replaced), one process, then two processes at once;
- `POST /clicks` through the app in process (no network), the limit off and on.
"""

import asyncio
import logging
import math
import multiprocessing
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from litestar.testing import AsyncTestClient

from ingest_service.app import create_app
from ingest_service.settings import IntakeSettings
from ingest_service.shared_buckets import SharedBuckets
from ingest_service.store.sqlite import SQLiteClickStore

RUNS = 5
TAKES = 20_000
CLICKS = 500
CLIENTS = [f"203.0.113.{n}" for n in range(200)]


def dict_buckets_us() -> float:
    """The baseline: a token bucket per client in this process's memory."""
    buckets: dict[str, tuple[float, float]] = {}
    started = time.perf_counter()
    for n in range(TAKES):
        now = time.time()
        tokens, updated = buckets.get(CLIENTS[n % len(CLIENTS)], (1e9, now))
        tokens = min(1e9, tokens + (now - updated)) - 1
        buckets[CLIENTS[n % len(CLIENTS)]] = (tokens, now)
        math.floor(tokens)
    return (time.perf_counter() - started) / TAKES * 1e6


def shared_buckets_us(path: Path) -> float:
    buckets = SharedBuckets(path, capacity=1e9, per_second=1e9 / 60)
    started = time.perf_counter()
    for n in range(TAKES):
        buckets.take(CLIENTS[n % len(CLIENTS)], 1)
    elapsed = time.perf_counter() - started
    buckets.close()
    return elapsed / TAKES * 1e6


def _worker(path: Path, results: "multiprocessing.Queue[float]") -> None:
    results.put(shared_buckets_us(path))


def two_processes_us(path: Path) -> float:
    results: multiprocessing.Queue[float] = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_worker, args=(path, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return statistics.mean(results.get() for _ in workers)


async def click_ms(directory: Path, rate_limit: int) -> float:
    settings = IntakeSettings(data_dir=directory, rate_limit=rate_limit)
    store = SQLiteClickStore(settings.store_path)
    store.setup()
    app = create_app(settings, store, static_dir=None)
    body = {"button": "Buy", "timestamp": "2026-11-24T21:30:00Z"}
    body["pageUrl"] = "https://shop.example/"
    async with AsyncTestClient(app=app) as client:
        started = time.perf_counter()
        for _ in range(CLICKS):
            response = await client.post("/clicks", json={**body, "id": str(uuid.uuid4())})
            assert response.status_code == 202, response.text
        elapsed = time.perf_counter() - started
    return elapsed / CLICKS * 1e3


def median(figures: list[float]) -> float:
    return statistics.median(figures)


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request otherwise
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        memory, shared, contended, off, on = [], [], [], [], []
        for run in range(RUNS):
            memory.append(dict_buckets_us())
            shared.append(shared_buckets_us(root / f"one-{run}.sqlite3"))
            contended.append(two_processes_us(root / f"two-{run}.sqlite3"))
            off.append(asyncio.run(click_ms(root / f"off-{run}", 0)))
            on.append(asyncio.run(click_ms(root / f"on-{run}", 10**9)))
    print(f"bucket update, dict in memory (baseline): {median(memory):.2f} us")
    print(
        f"bucket update, shared SQLite, 1 process:  {median(shared):.1f} us"
        f" ({median(shared) / median(memory):.0f}x)"
    )
    print(f"bucket update, shared SQLite, 2 processes at once: {median(contended):.1f} us each")
    print(f"POST /clicks in process, limit off (baseline): {median(off):.3f} ms")
    print(
        f"POST /clicks in process, limit on: {median(on):.3f} ms ({median(on) / median(off):.3f}x)"
    )


if __name__ == "__main__":
    main()

"""The dashboard API over a year of daily summaries: p50/p95 latency per endpoint.

    .tools/bin/uv run --frozen python -m bench.dashboard.run [--days 365] [--clicks-per-day 2000]
        [--data-dir DIR] [--journeys]

Builds the year once (synthetic clicks into SQLite, then the pipeline's own export,
catalog and summary steps), then calls every endpoint many times in-process through
Litestar's test client, so the figures are the app's and the query engine's, not a
network's: `--requests` rounds of one request to each endpoint. `--data-dir` keeps the
built year for another run. Each journey panel's p50 and p95 are also printed over the
median of the click rankings' of the same range, measured in the same rounds (the
baseline, on a shared machine); `--journeys` measures only those, cold, over the whole
range.
"""

import argparse
import asyncio
import itertools
import logging
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from litestar import Litestar
from litestar.testing import AsyncTestClient

from ingest_service.app import create_app
from ingest_service.settings import ServeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from ingest_service.synthetic import synthetic_clicks
from orchestration.assets.catalog import register_clicks
from orchestration.assets.export import publish_day, stage_day
from orchestration.assets.summary_tables import publish_summaries
from orchestration.dashboard import RANKINGS, dashboard_routers
from orchestration.dashboard.figures import RESULTS_TTL_S
from orchestration.dashboard.journeys import JourneyFigures
from orchestration.dashboard.recent import RecentResults
from orchestration.funnels import load_funnels
from orchestration.resources import lake_access

FIRST_DAY = date(2025, 1, 1)
# The test client is no loopback address: it reads as a token holder does.
READ_TOKEN = "bench-read-token-000000"
BASELINE = [path for path, _, _ in RANKINGS]
JOURNEY_PANELS = ["sessions", "sources", "paths", "funnels", "retention"]
ENDPOINTS = ["live", "clicks/daily", "clicks/hourly", *BASELINE, *JOURNEY_PANELS]
# The funnels `make run` counts.
FUNNELS = load_funnels(Path(__file__).parents[2] / "funnels.toml")


def build_year(settings: ServeSettings, days: int, clicks_per_day: int) -> None:
    store = SQLiteClickStore(settings.store_path)
    store.setup()
    clicks = synthetic_clicks(FIRST_DAY, days, clicks_per_day, seed=1)
    while chunk := list(itertools.islice(clicks, 20_000)):
        store.write(chunk)
    access = lake_access(settings)
    lake, catalog, engine = access.lake, access.catalog, access.query_engine
    day_list = [FIRST_DAY + timedelta(days=n) for n in range(days)]
    for day in day_list:
        publish_day(lake, stage_day(store, lake, day))
    register_clicks(catalog, lake, day_list)
    publish_summaries(day_list, engine, lake, catalog, FUNNELS)
    store.close()


async def measure(
    title: str,
    app: Litestar,
    ranges: dict[str, dict[str, str]],
    requests: int,
    endpoints: list[str],
) -> dict[tuple[str, str], tuple[float, float]]:
    """(p50, p95) in ms per (endpoint, range). The requests go round the endpoints, one
    each a round, so that a burst of other work on a shared machine falls on all alike."""
    print(f"\n{title}\n{'endpoint':<28} {'range':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    lines = [
        (path, label, params)
        for path, (label, params) in itertools.product(endpoints, ranges.items())
        # The live view takes no range.
        if path != "live" or label == next(iter(ranges))
    ]
    timings: dict[tuple[str, str], list[float]] = {(path, label): [] for path, label, _ in lines}
    async with AsyncTestClient(app=app) as client:
        client.headers["Authorization"] = f"Bearer {READ_TOKEN}"
        for path, _, params in lines:
            for _ in range(3):  # warm-up: first query plans, imports
                (await client.get(f"/api/dashboard/{path}", params=params)).raise_for_status()
        for _ in range(requests):
            for path, label, params in lines:
                started = time.perf_counter()
                response = await client.get(f"/api/dashboard/{path}", params=params)
                timings[path, label].append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
    figures = {}
    for (path, label), taken in timings.items():
        p50, p95 = statistics.median(taken), statistics.quantiles(taken, n=20)[-1]
        figures[path, label] = (p50, p95)
        shown = "-" if path == "live" else label
        print(f"{path:<28} {shown:>6} {p50:>8.1f} {p95:>8.1f} {max(taken):>8.1f}")
    return figures


def print_ratios(figures: dict[tuple[str, str], tuple[float, float]], labels: list[str]) -> None:
    """Each journey panel over the click rankings' median, p50 and p95 apart."""
    for label in labels:
        p50, p95 = (statistics.median(figures[path, label][n] for path in BASELINE) for n in (0, 1))
        print(f"\n{label}: the baseline, the click rankings' median: p50 {p50:.1f}, p95 {p95:.1f}")
        for path in JOURNEY_PANELS:
            mine = figures[path, label]
            print(f"{path:<28} p50 {mine[0] / p50:.2f}x, p95 {mine[1] / p95:.2f}x the baseline")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--clicks-per-day", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--data-dir", type=Path, help="build here once, reuse on later runs")
    parser.add_argument(
        "--journeys",
        action="store_true",
        help="only the journey panels and the click rankings, cold, over the whole range",
    )
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    settings = ServeSettings(data_dir=data_dir, read_tokens=(READ_TOKEN,))
    if not settings.store_path.exists():
        started = time.perf_counter()
        build_year(settings, args.days, args.clicks_per_day)
        took = time.perf_counter() - started
        print(f"built {args.days} days x {args.clicks_per_day} clicks in {took:.0f} s")
    last = FIRST_DAY + timedelta(days=args.days - 1)
    ranges = {
        f"{days}d": {
            "start": (last - timedelta(days=days - 1)).isoformat(),
            "end": last.isoformat(),
        }
        for days in ([args.days] if args.journeys else [30, min(args.days, 365)])
    }
    endpoints = [*BASELINE, *JOURNEY_PANELS] if args.journeys else ENDPOINTS
    modes = {"every request queries": 0.0, "results kept": RESULTS_TTL_S}
    store = SQLiteClickStore(settings.store_path)
    # Every request a query (what the first reader of a range waits), then results kept.
    for title, ttl_s in list(modes.items())[: 1 if args.journeys else 2]:
        access = lake_access(settings)
        recent = RecentResults(ttl_s=ttl_s, change_mark=access.lake.change_mark)
        figures = JourneyFigures(access.query_engine, access.catalog, recent, funnels=FUNNELS)
        routers = dashboard_routers(
            settings, figures, pages_dir=data_dir, clock=lambda: datetime.now(UTC)
        )
        app = create_app(settings, store, extra_handlers=routers, static_dir=None)
        figures = asyncio.run(measure(title, app, ranges, args.requests, endpoints))
        print_ratios(figures, list(ranges))


if __name__ == "__main__":
    main()

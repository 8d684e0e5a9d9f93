"""Export benchmark: a day of 1M and of 5M clicks through `clicks_export` with its checks,
as users run it, against the export alone and the seed's pandas method.

    .tools/bin/uv run --frozen python -m bench.export.run [--sizes 1000000 5000000]
        [--runs 3] [--seed-sizes 1000000]

`asset` is `dagster asset materialize --select clicks_export --partition DAY` (write,
audit, publish; every check), its wall time net of the same command on an empty day
(Dagster's own cost), peak RSS summed over the command's process tree. `export` and
`seed` run in a fresh interpreter each (no Dagster, no checks). Figures are medians.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from bench.export.process_tree import measure
from bench.export.store_day import build_store

DAY = date(2026, 3, 2)
EMPTY_DAY = DAY - timedelta(days=1)


def _materialize(data: Path, day: date) -> tuple[float, float]:
    home = data.parent / f"dagster-{day}"
    home.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "CLICKSTREAM_ENV": "local",
        "CLICKSTREAM_DATA_DIR": str(data),
        "CLICKSTREAM_START_DATE": EMPTY_DAY.isoformat(),
        "DAGSTER_HOME": str(home),
    }
    command = [
        sys.executable, "-m", "dagster", "asset", "materialize",
        "-m", "orchestration.definitions", "--select", "clicks_export",
        "--partition", day.isoformat(),
    ]  # fmt: skip
    return measure(command, env)


def _in_process(method: str, store: Path, lake: Path) -> tuple[float, float]:
    command = [sys.executable, "-m", "bench.export.measure", method, str(store), str(lake)]
    done = subprocess.run([*command, str(DAY)], check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return float(result["seconds"]), float(result["peak_rss_mib"])


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--runs", type=int, default=3)
    # The seed holds the whole day in pandas: 12 GB at 5M clicks, too much beside others.
    parser.add_argument("--seed-sizes", type=int, nargs="*", default=[1_000_000])
    args = parser.parse_args()
    print("| clicks | method | seconds | clicks/s | peak RSS MiB |")
    print("|---:|---|---:|---:|---:|")
    asset_rss: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-export-") as work:
        for size in args.sizes:
            data = Path(work) / f"data-{size}"
            data.mkdir()
            build_store(data / "clicks.sqlite3", DAY, size)
            empty, rows = [], []
            for _ in range(args.runs):  # interleaved, so load changes hit both alike
                empty.append(_materialize(data, EMPTY_DAY))
                rows.append(_materialize(data, DAY))
            floor, (seconds, rss) = _median(empty)[0], _median(rows)
            asset_rss[size] = rss
            net = seconds - floor
            print(f"| {size:,} | empty day (Dagster's floor) | {floor:.2f} | | |")
            print(f"| {size:,} | asset + checks, wall | {seconds:.2f} | | {rss:,.0f} |")
            print(f"| {size:,} | asset + checks, net | {net:.2f} | {size / net:,.0f} | |")
            methods = ["export", *(["seed"] if size in args.seed_sizes else [])]
            for method in methods:
                lake = Path(work) / "lake"
                taken, peak = _median([_in_process(method, data / "clicks.sqlite3", lake)
                                       for _ in range(args.runs)])  # fmt: skip
                print(f"| {size:,} | {method} | {taken:.2f} | {size / taken:,.0f} | {peak:,.0f} |")
                if method == "seed":
                    print(f"{size:,} clicks: asset + checks {taken / net:.1f}x the seed's speed")
            (data / "clicks.sqlite3").unlink()
    smallest, largest = min(args.sizes), max(args.sizes)
    growth = asset_rss[largest] / asset_rss[smallest]
    print(f"asset + checks peak RSS at {largest:,} / at {smallest:,} clicks: {growth:.2f}")


if __name__ == "__main__":
    main()

"""Export benchmark: a day of 1M and of 5M clicks, the pipeline's export against the seed's.

    .tools/bin/uv run --frozen python -m bench.export.run [--sizes 1000000 5000000] [--runs 3]

Each measurement runs in a fresh subprocess; the figures are medians over the runs.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from bench.export.store_day import build_store

DAY = date(2026, 3, 1)


def _measure(method: str, store: Path, lake: Path) -> dict[str, float]:
    command = [
        sys.executable,
        "-m",
        "bench.export.measure",
        method,
        str(store),
        str(lake),
        str(DAY),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def _median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| clicks | method | seconds | clicks/s | CPU seconds | peak RSS MiB |")
    print("|---:|---|---:|---:|---:|---:|")
    figures: dict[tuple[int, str], dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-export-") as work:
        for size in args.sizes:
            store = Path(work) / f"clicks-{size}.sqlite3"
            build_store(store, DAY, size)
            for method in ("pipeline", "seed"):
                runs = [_measure(method, store, Path(work) / "lake") for _ in range(args.runs)]
                median = figures[size, method] = _median_of(runs)
                rate = median["clicks"] / median["seconds"]
                print(
                    f"| {size:,} | {method} | {median['seconds']:.2f} | {rate:,.0f} |"
                    f" {median['cpu_seconds']:.2f} | {median['peak_rss_mib']:,.0f} |",
                    flush=True,
                )
            store.unlink()
    for size in args.sizes:
        ratio = figures[size, "seed"]["seconds"] / figures[size, "pipeline"]["seconds"]
        print(f"{size:,} clicks: pipeline {ratio:.1f}x the seed's speed")
    smallest, largest = min(args.sizes), max(args.sizes)
    growth = (
        figures[largest, "pipeline"]["peak_rss_mib"] / figures[smallest, "pipeline"]["peak_rss_mib"]
    )
    print(f"pipeline peak RSS at {largest:,} / at {smallest:,} clicks: {growth:.2f}")


if __name__ == "__main__":
    main()

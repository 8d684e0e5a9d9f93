"""Export benchmark: a day of 1M and of 5M clicks through `clicks_export` with its checks,
as users run it, against the export alone and the seed's pandas method.

    .tools/bin/uv run --frozen python -m bench.export.run [--sizes 1000000 5000000]
        [--runs 3] [--seed-sizes 1000000 5000000]

`asset + checks` is `dagster asset materialize --select clicks_export --partition DAY`
(stage, audit with every check, publish). Its net time is the run's step (STEP_START to
STEP_SUCCESS in the event log: the asset and its checks, not the process start or the
code location's load) minus the step of the same command on an empty day run just before
it (what a run costs whatever the day holds: resources, the Great Expectations import);
the same difference of wall times is printed beside it. Peak RSS is summed over the
command's process tree. `export` and `seed` run in a fresh interpreter each (no Dagster,
no checks). Figures are medians of `--runs` runs.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from bench.export.process_tree import measure
from bench.export.step_time import last_step_seconds
from bench.export.store_day import build_store

DAY = date(2026, 3, 2)
EMPTY_DAY = DAY - timedelta(days=1)


def _materialize(data: Path, day: date) -> tuple[float, float, float]:
    """(wall seconds, peak MiB of the process tree, seconds of the step)."""
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
    seconds, peak = measure(command, env)
    return seconds, peak, last_step_seconds(home)


def _in_process(method: str, store: Path, lake: Path) -> tuple[float, float]:
    command = [sys.executable, "-m", "bench.export.measure", method, str(store), str(lake)]
    done = subprocess.run([*command, str(DAY)], check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return float(result["seconds"]), float(result["peak_rss_mib"])


@dataclass(frozen=True)
class _Asset:
    """Medians of one size's `dagster asset materialize` runs, the day and the empty day."""

    wall: float
    step: float
    rss: float
    empty_wall: float
    empty_step: float
    empty_rss: float
    # Each run's day minus the empty day run just before it, so load changes cancel.
    net_step: float
    net_wall: float


def _asset(data: Path, runs: int) -> _Asset:
    empty, day = [], []
    for _ in range(runs):  # interleaved, so load changes hit both alike
        empty.append(_materialize(data, EMPTY_DAY))
        day.append(_materialize(data, DAY))
    median = statistics.median
    return _Asset(
        wall=median(r[0] for r in day),
        rss=median(r[1] for r in day),
        step=median(r[2] for r in day),
        empty_wall=median(r[0] for r in empty),
        empty_rss=median(r[1] for r in empty),
        empty_step=median(r[2] for r in empty),
        net_step=median(d[2] - e[2] for d, e in zip(day, empty, strict=True)),
        net_wall=median(d[0] - e[0] for d, e in zip(day, empty, strict=True)),
    )


def _row(size: int, method: str, *seconds: float | None, rate_of: float, rss: float | None) -> None:
    """A table row: wall, step and net seconds (blank when None), clicks per second of
    `rate_of` seconds, peak RSS."""
    rate = f"{size / rate_of:,.0f}" if rate_of > 0 else "n/a"
    times = [f"{value:.2f}" if value is not None else "" for value in seconds]
    peak = "" if rss is None else f"{rss:,.0f}"
    print(f"| {size:,} | {method} | {' | '.join(times)} | {rate} | {peak} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--seed-sizes",
        type=int,
        nargs="*",
        default=[1_000_000, 5_000_000],
        help="sizes the seed's method also runs at (it needs about 12 GB at 5M clicks)",
    )
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    print("| clicks | method | wall s | step s | net s | clicks/s | peak RSS MiB |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    rss: dict[int, float] = {}
    ratios: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-export-") as work:
        for size in args.sizes:
            data = Path(work) / f"data-{size}"
            data.mkdir()
            build_store(data / "clicks.sqlite3", DAY, size)
            asset = _asset(data, args.runs)
            rss[size] = asset.rss
            print(f"| {size:,} | empty day | {asset.empty_wall:.2f} | {asset.empty_step:.2f} | | |"
                  f" {asset.empty_rss:,.0f} |")  # fmt: skip
            net, by_wall = asset.net_step, asset.net_wall
            _row(size, "asset + checks", asset.wall, asset.step, net, rate_of=net, rss=asset.rss)
            _row(size, "asset + checks, by wall", None, None, by_wall, rate_of=by_wall, rss=None)
            methods = ["export", *(["seed"] if size in args.seed_sizes else [])]
            for method in methods:
                lake = Path(work) / "lake"
                taken, peak = _median_run(method, data / "clicks.sqlite3", lake, args.runs)
                _row(size, method, taken, None, None, rate_of=taken, rss=peak)
                if method == "seed" and asset.net_step > 0:
                    ratios.append(f"{size:,} clicks: asset + checks (net of the step) "
                                  f"{taken / asset.net_step:.1f}x the seed's speed")  # fmt: skip
            (data / "clicks.sqlite3").unlink()
    print(*ratios, sep="\n")
    smallest, largest = min(args.sizes), max(args.sizes)
    growth = rss[largest] / rss[smallest]
    print(f"asset + checks peak RSS at {largest:,} / at {smallest:,} clicks: {growth:.2f}")
    print(f"load average at end: {os.getloadavg()}")


def _median_run(method: str, store: Path, lake: Path, runs: int) -> tuple[float, float]:
    measured = [_in_process(method, store, lake) for _ in range(runs)]
    return statistics.median(m[0] for m in measured), statistics.median(m[1] for m in measured)


if __name__ == "__main__":
    main()

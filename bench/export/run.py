"""Export benchmark: a day of 1M and of 5M clicks through `clicks_export` with its checks,
as users run it, against the export alone and the seed's pandas method.

    .tools/bin/uv run --frozen python -m bench.export.run [--sizes 1000000 5000000]
        [--runs 3] [--seed-sizes 1000000 5000000] [--baseline CHECKOUT]

`asset + checks` is `dagster asset materialize --select clicks_export --partition DAY`
(stage, audit with every check, publish). Its net time is the run's step (STEP_START to
STEP_SUCCESS in the event log: the asset and its checks, not the process start or the
code location's load) minus the step of the same command on an empty day run just before
it (what a run costs whatever the day holds: resources, the Great Expectations import);
the same difference of wall times is printed beside it. Peak RSS is summed over the
command's process tree. `export` and `seed` run in a fresh interpreter each (no Dagster,
no checks). Figures are medians of `--runs` runs.

`--baseline CHECKOUT` (another checkout of the project, e.g. a `git worktree` of an
earlier commit) runs `asset + checks` and `export` from that checkout's code too, on the
same store and in the same run, its runs interleaved with this checkout's, so that a
shared machine's load changes hit both alike; its rows are marked `baseline`. Then how
many times faster this checkout is, by the net step and by the net CPU time of the
process tree (user and system, the day's run minus the empty day's), which moves far
less than wall times with the load of a shared machine.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from bench.export.process_tree import measure
from bench.export.step_time import last_step_seconds
from bench.export.store_day import build_store

DAY = date(2026, 3, 2)
EMPTY_DAY = DAY - timedelta(days=1)
REPO = Path(__file__).resolve().parents[2]
# Row labels: this checkout's, then the baseline's.
_LABELS = ("", "baseline: ")
# One `dagster asset materialize`: (wall seconds, peak MiB of the tree, step seconds,
# CPU seconds of the tree).
_Run = tuple[float, float, float, float]
# One export in its own interpreter: (seconds, peak MiB, CPU seconds).
_Alone = tuple[float, float, float]


def _tag(checkout: Path) -> str:
    """A name for the checkout's own files (two checkouts may share a directory name)."""
    return f"{zlib.crc32(str(checkout).encode()):08x}"


def _environ(checkout: Path) -> dict[str, str]:
    """This environment, importing the project's code from `checkout` (run from there,
    with it first on the path: ahead of the installed project)."""
    return {**os.environ, "PYTHONPATH": str(checkout)}


def _materialize(data: Path, day: date, checkout: Path) -> tuple[float, float, float]:
    """(wall seconds, peak MiB of the process tree, seconds of the step, CPU seconds of
    the process tree)."""
    home = data.parent / f"dagster-{day}-{_tag(checkout)}"
    home.mkdir(exist_ok=True)
    env = {
        **_environ(checkout),
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
    seconds, peak, cpu = measure(command, env, cwd=checkout)
    return seconds, peak, last_step_seconds(home), cpu


def _in_process(method: str, store: Path, lake: Path, checkout: Path) -> _Alone:
    command = [sys.executable, "-m", "bench.export.measure", method, str(store), str(lake)]
    done = subprocess.run(
        [*command, str(DAY)],
        check=True,
        capture_output=True,
        text=True,
        cwd=checkout,
        env=_environ(checkout),
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return float(result["seconds"]), float(result["peak_rss_mib"]), float(result["cpu_seconds"])


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
    net_cpu: float


def _assets(data: Path, runs: int, checkouts: Sequence[Path]) -> list[_Asset]:
    """One `_Asset` per checkout, from runs interleaved so load changes hit all alike."""
    measured: dict[Path, tuple[list[_Run], list[_Run]]] = {c: ([], []) for c in checkouts}
    for _ in range(runs):
        for checkout in checkouts:
            empty, day = measured[checkout]
            empty.append(_materialize(data, EMPTY_DAY, checkout))
            day.append(_materialize(data, DAY, checkout))
    return [_asset(*measured[checkout]) for checkout in checkouts]


def _asset(empty: list[_Run], day: list[_Run]) -> _Asset:
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
        net_cpu=median(d[3] - e[3] for d, e in zip(day, empty, strict=True)),
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
    parser.add_argument(
        "--baseline", type=Path, help="a checkout of the code to compare with, run alongside"
    )
    args = parser.parse_args()
    checkouts = [REPO, *([args.baseline.resolve()] if args.baseline else [])]
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
            assets = _assets(data, args.runs, checkouts)
            rss[size] = assets[0].rss
            for label, asset in zip(_LABELS, assets, strict=False):
                _asset_rows(size, label, asset)
            exports = _median_runs("export", data / "clicks.sqlite3", work, args.runs, checkouts)
            for label, (taken, peak, _) in zip(_LABELS, exports, strict=False):
                _row(size, f"{label}export", taken, None, None, rate_of=taken, rss=peak)
            if len(assets) > 1:
                ratios += _against_baseline(size, assets, exports)
            if size in args.seed_sizes:
                [(taken, peak, _)] = _median_runs("seed", data / "clicks.sqlite3", work, args.runs)
                _row(size, "seed", taken, None, None, rate_of=taken, rss=peak)
                if assets[0].net_step > 0:
                    speed = taken / assets[0].net_step
                    ratios.append(f"{size:,} clicks: asset + checks (net of the step) "
                                  f"{speed:.1f}x the seed's speed")  # fmt: skip
            (data / "clicks.sqlite3").unlink()
    print(*ratios, sep="\n")
    smallest, largest = min(args.sizes), max(args.sizes)
    growth = rss[largest] / rss[smallest]
    print(f"asset + checks peak RSS at {largest:,} / at {smallest:,} clicks: {growth:.2f}")
    print(f"load average at end: {os.getloadavg()}")


def _asset_rows(size: int, label: str, asset: _Asset) -> None:
    print(f"| {size:,} | {label}empty day | {asset.empty_wall:.2f} | {asset.empty_step:.2f} |"
          f" | | {asset.empty_rss:,.0f} |")  # fmt: skip
    net, by_wall = asset.net_step, asset.net_wall
    _row(size, f"{label}asset + checks", asset.wall, asset.step, net, rate_of=net, rss=asset.rss)
    _row(size, f"{label}asset + checks, by wall", None, None, by_wall, rate_of=by_wall, rss=None)


def _against_baseline(size: int, assets: list[_Asset], exports: list[_Alone]) -> list[str]:
    """How many times faster than the baseline, by net step, by net CPU of the process
    tree, and the export alone by its wall and CPU time."""
    ours, base = assets
    return [
        f"{size:,} clicks, against the baseline: asset + checks net step {ours.net_step:.2f} s"
        f" / {base.net_step:.2f} s ({base.net_step / ours.net_step:.2f}x faster), net CPU"
        f" {ours.net_cpu:.2f} s / {base.net_cpu:.2f} s ({base.net_cpu / ours.net_cpu:.2f}x)",
        f"{size:,} clicks, against the baseline: the export alone {exports[0][0]:.2f} s"
        f" / {exports[1][0]:.2f} s ({exports[1][0] / exports[0][0]:.2f}x faster), CPU"
        f" {exports[0][2]:.2f} s / {exports[1][2]:.2f} s ({exports[1][2] / exports[0][2]:.2f}x)",
    ]


def _median_runs(
    method: str, store: Path, work: str, runs: int, checkouts: Sequence[Path] = (REPO,)
) -> list[_Alone]:
    """Medians of `method`'s figures from each checkout, runs interleaved."""
    measured: dict[Path, list[_Alone]] = {c: [] for c in checkouts}
    for _ in range(runs):
        for checkout in checkouts:
            lake = Path(work) / f"lake-{_tag(checkout)}"
            measured[checkout].append(_in_process(method, store, lake, checkout))
    return [
        (
            statistics.median(m[0] for m in alone),
            statistics.median(m[1] for m in alone),
            statistics.median(m[2] for m in alone),
        )
        for alone in measured.values()
    ]


if __name__ == "__main__":
    main()

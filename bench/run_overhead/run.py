"""A day and a week of clicks through the daily pipeline, launched as the UI does and from
the CLI: each run's wall time, its steps' compute time, and the overhead between them.
Measured, in the same run, for Dagster's floor (one asset that does nothing), for the
pipeline as shipped (its steps in the run's own process), and for the pipeline as it was
(a process per step; one day only: the cost is per step, and a range has the same steps).

    .tools/bin/uv run --frozen python -m bench.run_overhead.run [--runs 3] [--clicks-per-day 1000]

UI: what the Materialize button sends for a day or a range of one run, a GraphQL
`launchRun` of the daily job with the partition range tags; the run is queued, the
daemon's run coordinator dequeues it and the run launcher starts its process. Wall time
is from the request to the run's end. CLI: `dagster asset materialize`, start to exit.
"""

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import httpx

from bench.run_overhead.timing import (
    RunTiming,
    median_overhead,
    run_end,
    summary,
)
from ingest_service.store.sqlite import SQLiteClickStore
from ingest_service.synthetic import synthetic_clicks
from orchestration.launch import launch_run
from orchestration.partitions import partition_range_tags

REPO = Path(__file__).resolve().parents[2]
FIRST_DAY = date(2026, 11, 2)
RANGES = {"1 day": (FIRST_DAY, FIRST_DAY), "7 days": (FIRST_DAY, FIRST_DAY + timedelta(days=6))}
# Each code location, and the ranges it is measured on.
LOCATIONS = {
    "pipeline, steps in the run's process": ("orchestration.definitions", tuple(RANGES)),
    "Dagster's floor (a no-op asset)": ("bench.run_overhead.floor_location", tuple(RANGES)),
    "pipeline, a process per step (before)": (
        "bench.run_overhead.multiprocess_location",
        ("1 day",),
    ),
}
READY = "{ repositoriesOrError { __typename ... on RepositoryConnection { nodes { name } } } }"


def fill_store(data_dir: Path, clicks_per_day: int) -> None:
    store = SQLiteClickStore(data_dir / "clicks.sqlite3")
    store.setup()
    store.write(list(synthetic_clicks(FIRST_DAY, 7, clicks_per_day, seed=1)))
    store.close()


def cli_run(module: str, first: date, last: date, env: dict[str, str]) -> RunTiming:
    partition = ["--partition", f"{first}"] if first == last else ["--partition-range"]
    if first != last:
        partition.append(f"{first}...{last}")
    command = [str(Path(sys.executable).parent / "dagster"), "asset", "materialize"]
    command += ["-m", module, "-d", str(REPO), "--select", "*", *partition]
    started = time.time()
    subprocess.run(command, env=env, cwd=env["DAGSTER_HOME"], check=True, capture_output=True)
    ended = time.time()
    instance = dg.DagsterInstance.get()
    (run,) = instance.get_runs(limit=1)
    return RunTiming.of(instance, run.run_id, started, ended)


def ui_run(url: str, first: date, last: date) -> RunTiming:
    started = time.time()
    tags = partition_range_tags(first, last)
    run_id = launch_run(url, "clickstream", "daily_pipeline_job", tags)
    instance = dg.DagsterInstance.get()
    while (ended := run_end(instance, run_id)) is None:
        time.sleep(0.2)
    return RunTiming.of(instance, run_id, started, ended)


@contextmanager
def dagster_dev(module: str, work: Path, env: dict[str, str]) -> Iterator[str]:
    workspace = work / f"workspace-{module}.yaml"
    workspace.write_text(
        "load_from:\n  - python_module:\n"
        f"      module_name: {module}\n      location_name: clickstream\n"
        f"      working_directory: {REPO}\n"
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dagster = str(Path(sys.executable).parent / "dagster")
    command = [dagster, "dev", "-w", str(workspace), "-h", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(
        command,
        env=env,
        cwd=env["DAGSTER_HOME"],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        _wait_for_location(url, process)
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _wait_for_location(url: str, process: "subprocess.Popen[bytes]") -> None:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and process.poll() is None:
        try:
            answer = httpx.post(url, json={"query": READY}, timeout=10).json()
            if answer["data"]["repositoriesOrError"].get("nodes"):
                return
        except (httpx.HTTPError, KeyError, TypeError, ValueError):
            pass
        time.sleep(1)
    raise RuntimeError("dagster dev did not load the code location")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clicks-per-day", type=int, default=1000)
    parser.add_argument("--only", default="", help="measure the locations whose name has this")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-run-overhead-") as directory:
        work = Path(directory)
        home, data = work / "dagster", work / "data"
        home.mkdir()
        data.mkdir()
        (home / "dagster.yaml").write_bytes((REPO / "dagster.yaml").read_bytes())
        fill_store(data, args.clicks_per_day)
        os.environ["DAGSTER_HOME"] = str(home)
        env = {
            **os.environ,
            "CLICKSTREAM_ENV": "local",
            "CLICKSTREAM_DATA_DIR": str(data),
            "CLICKSTREAM_START_DATE": "2026-01-01",
        }
        overheads: dict[tuple[str, str], float] = {}
        for name, (module, labels) in LOCATIONS.items():
            if args.only not in name:
                continue
            ranges = [(label, *RANGES[label]) for label in labels]
            with dagster_dev(module, work, env) as url:
                ui_run(url, FIRST_DAY, FIRST_DAY)  # warm-up: the code server loads the code
                for label, first, last in ranges:
                    timings = [ui_run(url, first, last) for _ in range(args.runs)]
                    print(f"{name:40} UI  {label:6}  {summary(timings)}", flush=True)
                    overheads[(f"UI {label}", name)] = median_overhead(timings)
            for label, first, last in ranges:
                timings = [cli_run(module, first, last, env) for _ in range(args.runs)]
                print(f"{name:40} CLI {label:6}  {summary(timings)}", flush=True)
                overheads[(f"CLI {label}", name)] = median_overhead(timings)
        shipped, floor, before = LOCATIONS
        for way in ("UI 1 day", "UI 7 days", "CLI 1 day", "CLI 7 days"):
            if (way, floor) not in overheads or (way, shipped) not in overheads:
                continue
            over_floor = overheads[(way, shipped)] / overheads[(way, floor)]
            line = f"overhead, {way}: shipped / floor = {over_floor:.2f}x"
            if (way, before) in overheads:
                ratio = overheads[(way, before)] / overheads[(way, shipped)]
                line += f", before / shipped = {ratio:.2f}x"
            print(line, flush=True)


if __name__ == "__main__":
    main()

"""What loading the code location costs each Dagster process (webserver, daemon, code
server, every run): fresh interpreters, CPU and wall seconds, medians.

    uv run python -m bench.startup.location --baseline PATH [--runs 5]

PATH is a checkout of the baseline (e.g. `git worktree add /tmp/before main`); its code
runs on this checkout's environment. Lines: `import dagster` alone (the floor), then the
baseline's and this checkout's code location, imported and then built from local-mode
settings as Dagster loads it. The lines take turns, so a busy machine slows them alike.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.startup.run import compile_bytecode

REPO = Path(__file__).resolve().parents[2]
LOAD = (
    "from ingest_service.settings import PipelineSettings\n"
    "from orchestration.definitions import build_definitions\n"
    "build_definitions(PipelineSettings.from_env()).get_repository_def()"
)


def one_run(code: str, checkout: Path) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of a fresh interpreter running `code`."""
    with tempfile.TemporaryDirectory() as data_dir:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLICKSTREAM_")}
        env.update(CLICKSTREAM_DATA_DIR=data_dir, PYTHONPATH=str(checkout))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-W", "ignore", "-c", code],
            cwd=checkout,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="baseline checkout")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    lines = {
        "import dagster (the floor)": ("import dagster", REPO),
        "baseline: import orchestration.definitions": (
            "import orchestration.definitions",
            args.baseline,
        ),
        "import orchestration.definitions": ("import orchestration.definitions", REPO),
        "baseline: import and load the location": (LOAD, args.baseline),
        "import and load the location": (LOAD, REPO),
    }
    compile_bytecode(REPO)
    compile_bytecode(args.baseline)
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in lines}
    for _ in range(args.runs):
        for name, (code, checkout) in lines.items():
            results[name].append(one_run(code, checkout))
    print(f"{'line':44} {'wall s':>7} {'CPU s':>6}")
    for name, runs in results.items():
        wall = statistics.median(run[0] for run in runs)
        cpu = statistics.median(run[1] for run in runs)
        print(f"{name:44} {wall:7.2f} {cpu:6.2f}")
    print(f"medians of {args.runs} fresh interpreters; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

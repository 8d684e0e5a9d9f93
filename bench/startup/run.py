"""Intake start-up to the first `/health` 200, and the serving process's memory.

    uv run python bench/startup/run.py --baseline PATH [--runs 5]

PATH is a checkout of the baseline (e.g. `git worktree add /tmp/baseline 13313aa`); its
code runs on this checkout's environment, which has every role's packages, as the
baseline's images had. The intake is also run in its image's environment, built here from
the lock as infra/docker/ingest.Dockerfile builds it: what its container starts. Each run
is a fresh process on a fresh data dir (local mode, SQLite store), one worker; the
variants take turns, so that a busy machine slows them alike. Printed: the median of the
runs, and its ratio to the baseline's.
"""

import argparse
import compileall
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

REPO = Path(__file__).resolve().parents[2]
SYNC_OPTIONS = ("--no-install-project", "--compile-bytecode", "--quiet")


@dataclass(frozen=True)
class Variant:
    name: str
    checkout: Path
    module: list[str]
    python: str = sys.executable


def intake_image_environment(directory: Path) -> str:
    """The ingest image's Python environment (its `uv sync`, bytecode compiled as the
    build does); the project's own code runs from the checkout. Its interpreter's path."""
    uv = os.environ.get("UV") or shutil.which("uv") or str(REPO / ".tools" / "bin" / "uv")
    subprocess.run(
        [uv, "sync", "--frozen", "--no-default-groups", "--group", "dashboard", *SYNC_OPTIONS],
        cwd=REPO,
        env={**os.environ, "UV_PROJECT_ENVIRONMENT": str(directory)},
        check=True,
    )
    return str(directory / "bin" / "python")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def compile_bytecode(checkout: Path) -> None:
    """The checkout's own modules compiled, as the images compile them: without bytecode
    (a fresh checkout, PYTHONDONTWRITEBYTECODE) every start would compile them again."""
    for package in ("ingest_service", "orchestration"):
        compileall.compile_dir(checkout / package, quiet=1)


def one_run(variant: Variant) -> tuple[float, float, float]:
    """Seconds from spawn to the first /health 200, the CPU seconds the process used by
    then (about its wall time alone on a core), and its RSS then (MiB)."""
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLICKSTREAM_")}
        # The checkout's own code first, whichever checkout the environment was built from.
        env.update(CLICKSTREAM_DATA_DIR=data_dir, PYTHONPATH=str(variant.checkout))
        command = [variant.python, "-m", *variant.module, "--port", str(port)]
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=variant.checkout,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"{variant.name} exited with {process.returncode}")
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.01)
            elapsed = time.perf_counter() - started
            server = psutil.Process(process.pid)
            cpu = server.cpu_times().user + server.cpu_times().system
            rss = server.memory_info().rss / 2**20
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return elapsed, cpu, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="baseline checkout")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as image_env:
        measure(args.baseline, args.runs, intake_image_environment(Path(image_env)))


def measure(baseline: Path, runs: int, image_python: str) -> None:
    variants = [
        Variant(
            "baseline: clickstream serve (the ingest task's command)",
            baseline,
            ["orchestration.cli", "serve"],
        ),
        Variant("intake alone, its image's environment", REPO, ["ingest_service"], image_python),
        Variant("intake alone, every role's packages installed", REPO, ["ingest_service"]),
        Variant(
            "clickstream serve (intake + dashboard, make run)", REPO, ["orchestration.cli", "serve"]
        ),
    ]
    for checkout in {variant.checkout for variant in variants}:
        compile_bytecode(checkout)
    results: dict[str, list[tuple[float, float, float]]] = {v.name: [] for v in variants}
    for _ in range(runs):
        for variant in variants:
            results[variant.name].append(one_run(variant))
    medians = {
        name: [statistics.median(run[i] for run in runs) for i in range(3)]
        for name, runs in results.items()
    }
    base = medians[variants[0].name]
    print(f"{'variant':56} {'start s':>8} {'ratio':>6} {'CPU s':>6} {'ratio':>6}", end="")
    print(f" {'RSS MiB':>8} {'ratio':>6}")
    for name, (start, cpu, rss) in medians.items():
        print(
            f"{name:56} {start:8.2f} {start / base[0]:6.2f} {cpu:6.2f} {cpu / base[1]:6.2f}"
            f" {rss:8.0f} {rss / base[2]:6.2f}"
        )
    print(f"medians of {runs} fresh processes each; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

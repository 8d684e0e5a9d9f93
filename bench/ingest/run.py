"""Ingest benchmark: `clickstream serve` against Express and nginx baselines, same run.

    uv run python bench/ingest/run.py [--repeats 3] [--seconds 10]

Everything on 127.0.0.1: wrk (Debian package) drives single clicks and batches of 50 with
fresh ids; fixed_rate.py measures latency at a fixed 5,000 req/s. Each server is started
here and stopped by its pid. Prints medians of the repeats as a Markdown table.
"""

import argparse
import contextlib
import functools
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CLICKSTREAM = Path(sys.executable).with_name("clickstream")
CONNECTIONS = 64
BATCH = 50
FIXED_RATE = 5_000


def require_tools() -> None:
    missing = [tool for tool in ("wrk", "nginx", "node") if not shutil.which(tool)]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        packages = [{"nginx": "nginx-light", "node": "nodejs"}.get(t, t) for t in missing]
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True)
    elif missing:
        sys.exit(f"missing {', '.join(missing)}: sudo apt-get install wrk nginx-light nodejs")
    if not (HERE / "express" / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE / "express", check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def started(
    command: list[str], ready_url: str, **popen: object
) -> "Iterator[subprocess.Popen[bytes]]":
    """Runs a server in its own process group, stopped by its pid: SIGTERM, then SIGKILL."""
    process = subprocess.Popen(command, start_new_session=True, **popen)  # type: ignore[call-overload]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(ready_url, timeout=1).status_code < 500:
                    break
            time.sleep(0.2)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def nginx(port: int, prefix: Path) -> contextlib.AbstractContextManager["subprocess.Popen[bytes]"]:
    (prefix / "tmp").mkdir(parents=True)
    config = prefix / "nginx.conf"
    config.write_text((HERE / "nginx.conf").read_text().replace("__PORT__", str(port)))
    return started(["nginx", "-p", str(prefix), "-c", str(config)], f"http://127.0.0.1:{port}/")


def express(port: int) -> contextlib.AbstractContextManager["subprocess.Popen[bytes]"]:
    env = {**os.environ, "PORT": str(port)}
    return started(
        ["node", str(HERE / "express" / "server.js")], f"http://127.0.0.1:{port}/", env=env
    )


def clickstream(
    port: int, workers: int, data_dir: Path
) -> contextlib.AbstractContextManager["subprocess.Popen[bytes]"]:
    env = {**os.environ, "CLICKSTREAM_DATA_DIR": str(data_dir)}
    command = [str(CLICKSTREAM), "serve", "--port", str(port), "--workers", str(workers)]
    return started(command, f"http://127.0.0.1:{port}/ready", env=env)


def wrk(port: int, seconds: float, batch: int = 0) -> dict[str, float]:
    env = {**os.environ, "BATCH": str(batch)}
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{int(seconds)}s", "--latency",
               "-s", str(HERE / "clicks.lua"), f"http://127.0.0.1:{port}"]  # fmt: skip
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    latency = re.search(r"LATENCY_US p50=(\d+) p99=(\d+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "clicks_per_s": rps * max(batch, 1),
        "p50_ms": int(latency[1]) / 1000,  # type: ignore[index]
        "p99_ms": int(latency[2]) / 1000,  # type: ignore[index]
        "non_2xx": int(errors[1]) if errors else 0,
        "socket_errors": socket_errors[1] if socket_errors else "",  # type: ignore[dict-item]
    }


def fixed_rate(port: int, seconds: float) -> dict[str, float]:
    command = [sys.executable, str(HERE / "fixed_rate.py"), "--port", str(port),
               "--rate", str(FIXED_RATE), "--seconds", str(seconds)]  # fmt: skip
    result: dict[str, float] = json.loads(
        subprocess.run(command, capture_output=True, text=True, check=True).stdout
    )
    return result


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    keys = [k for k, v in runs[0].items() if isinstance(v, int | float)]
    return {k: statistics.median(run[k] for run in runs) for k in keys}


def measure(name: str, repeats: int, once: Callable[[], dict[str, float]]) -> dict[str, float]:
    once()  # warm-up: caches, JIT, SQLite pages
    runs = [once() for _ in range(repeats)]
    for run in runs:
        print(f"  {name}: {run}", file=sys.stderr, flush=True)
    return median_of(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    require_tools()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        with nginx(port, Path(tmp) / "nginx"):
            results["nginx 204"] = measure("nginx", args.repeats, lambda: wrk(port, args.seconds))
        port = free_port()
        with express(port):
            results["express, no storage"] = measure(
                "express", args.repeats, lambda: wrk(port, args.seconds)
            )
        for workers in args.workers:
            port = free_port()
            loads = {
                "single": functools.partial(wrk, port, args.seconds),
                f"batch {BATCH}": functools.partial(wrk, port, args.seconds, BATCH),
                f"fixed {FIXED_RATE}/s": functools.partial(fixed_rate, port, args.seconds),
            }
            with clickstream(port, workers, Path(tmp) / f"data-{workers}"):
                for label, once in loads.items():
                    name = f"clickstream w={workers} {label}"
                    results[name] = measure(name, args.repeats, once)
    print(json.dumps(results, indent=1))
    print(f"load average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()

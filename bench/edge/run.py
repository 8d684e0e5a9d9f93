"""Slow clients and the cost of the bounds: the shipped server against stock uvicorn, same run.

    uv run python -m bench.edge.run [--repeats 3] [--seconds 10]

Three servers of the same app (`orchestration.server:app_from_env`), one worker each:
- `stock`: uvicorn 0.54 with httptools, as `clickstream serve` ran before (the baseline);
- `shipped`: `clickstream serve`, httptools with `LimitedHttpProtocol`'s bounds;
- `h11`: stock uvicorn with h11 and a 64 KiB head limit, the other bounded parser.

For each: wrk (2 threads, 64 connections) on `GET /health` and on `POST /clicks` (fresh
ids, bench/ingest/clicks.lua), after a warm-up run, with the server's CPU time per
request; then `/health` latency, one request at a time on a new connection, while three
connections stream a header without end, 1 MB at a time, each reconnecting when cut; and
the server's RSS before and during that attack. Prints the medians of the repeats as JSON.
"""

import argparse
import contextlib
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench.ingest.run import CLICKSTREAM, free_port, started
from bench.ingest.run import wrk as wrk_clicks

APP = "orchestration.server:app_from_env"
UVICORN = Path(sys.executable).with_name("uvicorn")
ATTACKERS = 3
HEALTH_SAMPLES = 30
# Stock uvicorn took seconds a request under attack, and memory grew all the while.
ATTACK_SAMPLES = 10
ATTACK_MAX_S = 60.0
MB = 1024 * 1024


def commands(port: int) -> dict[str, list[str]]:
    stock = [str(UVICORN), APP, "--factory", "--port", str(port), "--no-access-log",
             "--log-level", "warning"]  # fmt: skip
    return {
        "stock": [*stock, "--http", "httptools"],
        "shipped": [str(CLICKSTREAM), "serve", "--port", str(port)],
        "h11": [*stock, "--http", "h11", "--h11-max-incomplete-event-size", str(64 * 1024)],
    }


@contextlib.contextmanager
def server(name: str, port: int, data_dir: Path) -> Iterator[int]:
    """The server, and its pid for RSS (each runs the app in the process it starts)."""
    env = {**os.environ, "CLICKSTREAM_DATA_DIR": str(data_dir)}
    command = commands(port)[name]
    subprocess.run([str(CLICKSTREAM), "setup"], env=env, check=True, capture_output=True)
    with started(command, f"http://127.0.0.1:{port}/ready", env=env) as process:
        yield process.pid


def wrk_health(port: int, seconds: int) -> dict[str, float]:
    command = ["wrk", "-t2", "-c64", f"-d{seconds}s", f"http://127.0.0.1:{port}/health"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])}  # type: ignore[index]


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status)[1]) / 1024  # type: ignore[index]


def stream_header_without_end(port: int, stop: threading.Event) -> None:
    while not stop.is_set():
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)) as sock:
            sock.settimeout(5.0)  # a server that stops reading must not hold the attacker
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Long: ")
            while not stop.is_set():
                sock.sendall(b"a" * MB)


def under_attack(port: int, pid: int) -> dict[str, float]:
    rss_before = rss_mb(pid)
    stop = threading.Event()
    attackers = [
        threading.Thread(target=stream_header_without_end, args=(port, stop))
        for _ in range(ATTACKERS)
    ]
    for attacker in attackers:
        attacker.start()
    latencies = []
    try:
        time.sleep(1.0)
        attack_started = time.monotonic()
        with health_client(port, timeout=120) as client:
            while (
                len(latencies) < ATTACK_SAMPLES and time.monotonic() - attack_started < ATTACK_MAX_S
            ):
                latencies.append(health_ms(client))
        rss_during = rss_mb(pid)
    finally:
        stop.set()
        for attacker in attackers:
            attacker.join()
    return {
        "health_p50_ms": statistics.median(latencies),
        "health_max_ms": max(latencies),
        "rss_growth_mb": rss_during - rss_before,
    }


def quiet_health(port: int) -> dict[str, float]:
    with health_client(port, timeout=10) as client:
        latencies = [health_ms(client) for _ in range(HEALTH_SAMPLES)]
    return {"quiet_health_p50_ms": statistics.median(latencies)}


def health_client(port: int, timeout: float) -> httpx.Client:
    # A new connection for each request, as a probe makes: under attack the stock server's
    # stalled loop closed kept-alive connections as requests arrived on them.
    return httpx.Client(
        base_url=f"http://127.0.0.1:{port}",
        timeout=timeout,
        limits=httpx.Limits(max_keepalive_connections=0),
    )


def health_ms(client: httpx.Client) -> float:
    """One `/health` request's time, connection included; a timeout counts as the timeout."""
    started_at = time.perf_counter()
    with contextlib.suppress(httpx.TimeoutException):
        client.get("/health")
    return (time.perf_counter() - started_at) * 1000


def cpu_s(pid: int) -> float:
    """CPU time the server process has used, user and system, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(port: int, pid: int, seconds: int) -> dict[str, float]:
    """Throughput, and the server's CPU time per request: on a machine others share, the
    CPU time a request costs the server varies much less than the requests it can serve."""
    wrk_health(port, 2)  # warm-up
    run: dict[str, float] = {}
    for name, load in (("health", wrk_health), ("click", wrk_clicks)):
        cpu_before = cpu_s(pid)
        rps = load(port, seconds)["rps"]
        run[f"{name}_rps"] = rps
        run[f"{name}_cpu_us"] = (cpu_s(pid) - cpu_before) / (rps * seconds) * 1e6
    return {**run, **quiet_health(port), **under_attack(port, pid)}


def median_runs(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands(0)}
    print(f"load average at the start: {os.getloadavg()}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        # Round-robin over the servers, so that a busy spell of the machine hits them alike.
        for repeat in range(args.repeats):
            for name in runs:
                port = free_port()
                with server(name, port, Path(tmp) / name) as pid:
                    run = one_run(port, pid, args.seconds)
                print(f"  {name} run {repeat + 1}: {run}", file=sys.stderr, flush=True)
                runs[name].append(run)
    results = {name: median_runs(name_runs) for name, name_runs in runs.items()}
    for name in results:
        for key in ("health_rps", "click_rps", "health_cpu_us", "click_cpu_us"):
            results[name][f"{key}_vs_stock"] = results[name][key] / results["stock"][key]
    print(json.dumps(results, indent=1))
    print(f"load average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()

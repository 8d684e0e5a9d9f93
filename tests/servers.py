"""Processes the tests start: `clickstream serve` and Chromium, always stopped by their pid."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
CLICKSTREAM = Path(sys.executable).with_name("clickstream")
# About 4 s on a quiet machine; `serve` imports the pipeline for the dashboard, slower when busy.
STARTUP_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 10.0

CHROMIUM = "/usr/bin/chromium"
# Playwright adds --headless; the rest keep Debian's Chromium off the (closed) network.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    process: "subprocess.Popen[Any]"


@contextmanager
def serving(
    data_dir: Path,
    *,
    workers: int = 1,
    log_path: Path | None = None,
    settings: Mapping[str, str] | None = None,
) -> Iterator[RunningServer]:
    """`clickstream serve` on a free port with only the given CLICKSTREAM_* settings.

    The server runs in a new session whose group id is its pid, so that signalling the
    group reaches uvicorn's worker processes too, and nothing else.
    """
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CLICKSTREAM_")}
    env.update(settings or {}, CLICKSTREAM_DATA_DIR=str(data_dir))
    log_path = log_path or data_dir.parent / f"serve-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [str(CLICKSTREAM), "serve", "--port", str(port), "--workers", str(workers)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_ready(f"{base_url}/ready", process, log_path)
        yield RunningServer(base_url, process)
    finally:
        stop(process)


def kill(process: "subprocess.Popen[Any]") -> None:
    """SIGKILL to the server and its workers: a crash, nothing gets to clean up."""
    _signal_group(process, signal.SIGKILL)
    process.wait()


def stop(process: "subprocess.Popen[Any]") -> None:
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)
        process.wait()
    # Workers outlive a stopped supervisor unless their group is signalled too.
    _signal_group(process, signal.SIGKILL)


def _signal_group(process: "subprocess.Popen[Any]", signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def wait_ready(
    ready_url: str, process: "subprocess.Popen[Any]", log_path: Path, name: str = "serve"
) -> None:
    """Until `ready_url` answers 200; the process's log in the error if it never does."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            if httpx.get(ready_url, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.1)
    raise RuntimeError(f"{name} not ready after {STARTUP_TIMEOUT_S} s:\n{log_path.read_text()}")

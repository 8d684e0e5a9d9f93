"""Processes the tests start (`clickstream serve`, moto's server, PostgreSQL, Chromium),
each in its own session, always stopped by its pid."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
CLICKSTREAM = Path(sys.executable).with_name("clickstream")
# A few seconds on a quiet machine; far slower when the machine is busy.
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
    base_url = f"http://127.0.0.1:{port}"
    with started(command, env, log_path, lambda: answers(f"{base_url}/ready")) as process:
        yield RunningServer(base_url, process)


@contextmanager
def started(
    command: Sequence[str],
    env: Mapping[str, str],
    log_path: Path,
    ready: Callable[[], bool],
    *,
    cwd: Path = REPO,
    timeout_s: float = STARTUP_TIMEOUT_S,
) -> Iterator["subprocess.Popen[Any]"]:
    """`command` in a new session (its group id is its pid, so that signalling the group
    reaches its children and nothing else), once `ready()`; stopped on the way out."""
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            env=dict(env),
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        wait_until(ready, process, log_path, command[0], timeout_s)
        yield process
    finally:
        stop(process)


def answers(url: str, status: int = 200) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code == status
    except httpx.TransportError:
        return False  # not listening yet


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
    wait_until(lambda: answers(ready_url), process, log_path, name)


def wait_until(
    ready: Callable[[], bool],
    process: "subprocess.Popen[Any]",
    log_path: Path,
    name: str,
    timeout_s: float = STARTUP_TIMEOUT_S,
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{log_path.read_text()}")
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{name} not ready after {timeout_s} s:\n{log_path.read_text()}")


@contextmanager
def moto_server(log_dir: Path) -> Iterator[str]:
    """moto's standalone server on a free port: a real HTTP endpoint; its base URL."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1"]
    url = f"http://127.0.0.1:{port}"
    log_path = log_dir / f"moto-{port}.log"
    with started([*command, "-p", str(port)], os.environ, log_path, lambda: answers(url)):
        yield url


@dataclass(frozen=True)
class PostgresServer:
    port: int
    user: str
    password: str

    def database_url(self, database: str) -> str:
        return f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/{database}"


@contextmanager
def postgresql(log_dir: Path, user: str, password: str) -> Iterator[PostgresServer]:
    """Debian's PostgreSQL in a temp dir on a free port, with one password-protected user.

    PostgreSQL refuses to run as root: as root, it runs as the package's `postgres` user,
    in a directory of its own under /tmp (pytest's are private to their owner).
    """
    bin_dir = _postgres_bin_dir()
    directory = Path(tempfile.mkdtemp(prefix="clickstream-pg-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:
        as_owner = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"]
        shutil.chown(directory, "postgres", "postgres")
    data, password_file = directory / "data", directory / "password"
    password_file.write_text(password)
    password_file.chmod(0o644)
    initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", user, "--auth=scram-sha-256"]
    port = free_port()
    server = [str(bin_dir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(directory)]
    options = ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]
    try:
        subprocess.run(
            [*as_owner, *initdb, f"--pwfile={password_file}"],
            check=True,
            capture_output=True,
            cwd=directory,
        )
        with started(
            [*as_owner, *server, *options],
            os.environ,
            log_dir / f"postgres-{port}.log",
            lambda: _accepting(bin_dir, port),
            cwd=directory,
        ):
            yield PostgresServer(port, user, password)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _postgres_bin_dir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    assert found, "PostgreSQL is not installed: `make test` installs Debian's postgresql"
    return found[-1].parent


def _accepting(bin_dir: Path, port: int) -> bool:
    probe = [str(bin_dir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port)]
    return subprocess.run(probe, check=False).returncode == 0

"""`make run` from start to Ctrl-C, on its own ports and data dir: a start that prints no
warning nobody can act on, a Dagster UI without the first-visit pop-up, and a Ctrl-C that
leaves no process and no listening port behind."""

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.run.processes import descendants, kill_all, wait_gone
from tests.servers import REPO, free_port

# Dagster loads its code location in a code server after the webserver starts.
START_TIMEOUT_S = 420.0
CODE_LOCATION = "{ repositoriesOrError { ... on RepositoryConnection { nodes { name } } } }"
WARNING = re.compile(r"warn|will not be used", re.IGNORECASE)


def _ready(serve_url: str, graphql_url: str) -> bool:
    try:
        if httpx.get(f"{serve_url}/ready", timeout=5).status_code != 200:
            return False
        answer = httpx.post(graphql_url, json={"query": CODE_LOCATION}, timeout=10).json()
    except (httpx.HTTPError, ValueError):
        return False
    return bool(answer.get("data", {}).get("repositoriesOrError", {}).get("nodes"))


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.slow
def test_make_run_starts_quietly_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    serve_port, dagster_port = free_port(), free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CLICKSTREAM_")}
    env["CLICKSTREAM_DATA_DIR"] = str(tmp_path / "data")
    log_path = tmp_path / "make-run.log"
    command = ["make", "run", f"SERVE_PORT={serve_port}", f"DAGSTER_PORT={dagster_port}"]
    with log_path.open("wb") as log:
        # A session of its own, as a terminal gives a foreground job: Ctrl-C goes to its group.
        make = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    started = []
    try:
        serve_url = f"http://127.0.0.1:{serve_port}"
        graphql_url = f"http://127.0.0.1:{dagster_port}/graphql"
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _ready(serve_url, graphql_url):
            assert make.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(1)
        nux = httpx.post(graphql_url, json={"query": "{ shouldShowNux }"}, timeout=10).json()
        started = descendants(make.pid)

        os.killpg(make.pid, signal.SIGINT)

        assert wait_gone(started, 15) < 15
        make.wait(5)
        assert not _listening(serve_port)
        assert not _listening(dagster_port)
        output = log_path.read_text()
        assert [line for line in output.splitlines() if WARNING.search(line)] == [], output
        assert nux == {"data": {"shouldShowNux": False}}
    finally:
        kill_all([*started, *descendants(make.pid)])
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
        make.wait()

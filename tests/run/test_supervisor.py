"""`make run`'s supervisor: Ctrl-C, SIGTERM, a second Ctrl-C and a command that exits, each
leaving no process behind. The commands are small Python programs that start a child."""

import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest

from orchestration.supervisor import GRACE_S
from tests.run.processes import alive, descendants, kill_all, wait_gone

# A command that starts a child of its own, says so, and waits.
PARENT = r"""
import os, subprocess, sys, time
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
os.write(1, b"started\n")
time.sleep(600)
"""
# The same, deaf to SIGINT and SIGTERM, as Dagster was when started by `cmd &`.
DEAF = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n" + (
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n" + PARENT
)
EXITS = "import os, sys, time; os.write(1, b'started\\n'); time.sleep(1); sys.exit(3)"


def _command(code: str) -> str:
    return shlex.join([sys.executable, "-c", code])


@contextmanager
def supervising(*codes: str) -> Iterator[tuple[subprocess.Popen[str], list[psutil.Process]]]:
    """The supervisor in a session of its own, as a terminal runs a foreground job, once
    each command and its child are up; then every process it started."""
    command = [sys.executable, "-m", "orchestration.supervisor", *map(_command, codes)]
    supervisor = subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.PIPE, text=True, cwd=Path.cwd()
    )
    processes: list[psutil.Process] = []
    try:
        assert supervisor.stdout is not None
        for _ in codes:
            assert supervisor.stdout.readline().strip() == "started"
        processes = descendants(supervisor.pid)
        assert len(alive(processes)) >= 2 * len(codes) - 1
        yield supervisor, processes
    finally:
        kill_all(processes)
        if supervisor.poll() is None:
            supervisor.kill()
        supervisor.wait()
        assert supervisor.stdout is not None
        supervisor.stdout.close()


def test_ctrl_c_stops_the_commands_and_what_they_started() -> None:
    with supervising(PARENT, PARENT) as (supervisor, processes):
        os.killpg(supervisor.pid, signal.SIGINT)  # what the terminal does

        assert wait_gone(processes, 15) < 15
        assert supervisor.wait(5) == 0


def test_sigterm_to_the_supervisor_alone_stops_everything() -> None:
    with supervising(PARENT, PARENT) as (supervisor, processes):
        supervisor.send_signal(signal.SIGTERM)

        assert wait_gone(processes, 15) < 15
        assert supervisor.wait(5) == 0


@pytest.mark.slow
def test_a_command_deaf_to_signals_is_killed_within_15_s() -> None:
    with supervising(DEAF) as (supervisor, processes):
        os.killpg(supervisor.pid, signal.SIGINT)

        assert GRACE_S <= wait_gone(processes, 15) < 15


def test_a_second_ctrl_c_kills_at_once() -> None:
    with supervising(DEAF, PARENT) as (supervisor, processes):
        os.killpg(supervisor.pid, signal.SIGINT)
        time.sleep(0.5)
        os.killpg(supervisor.pid, signal.SIGINT)

        assert wait_gone(processes, 3) < 3


def test_when_one_command_exits_the_others_are_stopped_and_its_status_returned() -> None:
    with supervising(EXITS, PARENT) as (supervisor, processes):
        assert supervisor.wait(15) == 3
        assert wait_gone(processes, 1) < 1


def test_lines_nobody_can_act_on_are_dropped_and_the_rest_passed_on() -> None:
    noisy = (
        "import os; os.write(1, b'WARNING - No cursor for event type "
        "DagsterEventType.RUN_FAILURE, ignoring older events\\nkept\\n')"
    )
    run = subprocess.run(
        [sys.executable, "-m", "orchestration.supervisor", _command(noisy)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert run.stdout == "kept\n"

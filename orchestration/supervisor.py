"""Runs `make run`'s long-lived commands together and stops every process they started.

`cmd &` in a Makefile starts a background job of a non-interactive shell, which ignores
SIGINT; `dagster dev` then maps SIGTERM to the same handler, so Ctrl-C left Dagster's
webserver and daemon running until SIGKILL. Here each command runs in its own process
group with default signal handling. The first SIGINT or SIGTERM is passed on to each
command; whatever is left of its group after GRACE_S (code servers, run workers) is
killed. A second signal kills every group at once. When one command exits by itself,
the others are stopped the same way.

Usage: python -m orchestration.supervisor "COMMAND ..." ["COMMAND ..." ...]
"""

import contextlib
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from types import FrameType
from typing import IO

# Within the 15 s a user waits for Ctrl-C: the commands' own shutdown, then the stragglers.
GRACE_S = 10.0
STRAGGLERS_S = 2.0
_POLL_S = 0.1
# Lines nobody can act on, dropped from the commands' output. Dagster's run-retry daemon
# warns on every fresh instance that it has no cursor yet and ignores "older events": a
# fresh instance has none. Its logger cannot be configured from dagster.yaml or the CLI.
QUIET_LINES = re.compile(rb"No cursor for event type \S+, ignoring older events")


class Supervisor:
    def __init__(self) -> None:
        self.children: list[subprocess.Popen[bytes]] = []
        self.names: dict[int, str] = {}
        self.signals = 0

    def start(self, commands: Sequence[Sequence[str]]) -> None:
        # A new session each: a terminal's Ctrl-C reaches this process, which passes it on.
        for command in commands:
            if self.signals == 0:
                child = subprocess.Popen(
                    list(command),
                    start_new_session=True,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    env={**os.environ, "PYTHONUNBUFFERED": "1"},
                )
                assert child.stdout is not None
                threading.Thread(target=_forward, args=(child.stdout,), daemon=True).start()
                self.children.append(child)
                self.names[child.pid] = shlex.join(command)

    def on_signal(self, signum: int, _: FrameType | None) -> None:
        self.signals += 1
        if self.signals == 1:
            print("stopping; press Ctrl-C again to kill at once", file=sys.stderr, flush=True)
            self._send(signum)
        else:
            self._kill_groups(signal.SIGKILL)

    def run(self) -> int:
        """Waits for a signal or for a command to exit, then stops them all; exit status."""
        while self.signals == 0 and all(child.poll() is None for child in self.children):
            time.sleep(_POLL_S)
        exited = next((c for c in self.children if c.returncode is not None), None)
        if self.signals == 0 and exited is not None:
            name, code = self.names[exited.pid], exited.returncode
            print(f"{name} exited ({code}); stopping the others", file=sys.stderr, flush=True)
            self._send(signal.SIGINT)
        self._wait(GRACE_S)
        self._kill_groups(signal.SIGTERM)
        if not self._wait_groups(STRAGGLERS_S):
            self._kill_groups(signal.SIGKILL)
        for child in self.children:
            child.wait()
        return exited.returncode if exited is not None and self.signals == 0 else 0

    def _send(self, signum: int) -> None:
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signum)

    def _wait(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while any(c.poll() is None for c in self.children) and time.monotonic() < deadline:
            time.sleep(_POLL_S)

    def _wait_groups(self, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self._reap()
            if not any(_group_alive(c.pid) for c in self.children):
                return True
            time.sleep(_POLL_S)
        return False

    def _kill_groups(self, signum: int) -> None:
        # A group outlives its leader: its id stays the leader's pid while a member lives.
        for child in self.children:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signum)

    def _reap(self) -> None:
        for child in self.children:
            child.poll()


def _forward(output: IO[bytes]) -> None:
    for line in iter(output.readline, b""):
        if not QUIET_LINES.search(line):
            sys.stdout.buffer.write(line)
            sys.stdout.buffer.flush()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    commands = [shlex.split(command) for command in (argv or sys.argv[1:])]
    if not commands:
        print(__doc__, file=sys.stderr)
        return 2
    supervisor = Supervisor()
    signal.signal(signal.SIGINT, supervisor.on_signal)
    signal.signal(signal.SIGTERM, supervisor.on_signal)
    supervisor.start(commands)
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())

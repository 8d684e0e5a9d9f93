"""What the stop tests look at: every process a command started, and whether any is left."""

import contextlib
import os
import signal
import time
from collections.abc import Iterable

import psutil


def descendants(pid: int) -> list[psutil.Process]:
    with contextlib.suppress(psutil.NoSuchProcess):
        return list(psutil.Process(pid).children(recursive=True))
    return []


def alive(processes: Iterable[psutil.Process]) -> list[psutil.Process]:
    """Those still running; a zombie has exited and only waits to be reaped."""
    left = []
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                left.append(process)
    return left


def wait_gone(processes: list[psutil.Process], timeout_s: float) -> float:
    """Seconds until none of `processes` runs; raises with those left after `timeout_s`."""
    started = time.monotonic()
    while left := alive(processes):
        if time.monotonic() - started > timeout_s:
            raise AssertionError(f"still running after {timeout_s} s: {_describe(left)}")
        time.sleep(0.1)
    return time.monotonic() - started


def kill_all(processes: Iterable[psutil.Process]) -> None:
    """The fallback of every test: SIGKILL to whatever is left, and its group."""
    for process in alive(processes):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()


def _describe(processes: list[psutil.Process]) -> str:
    lines = []
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            lines.append(f"{process.pid} {' '.join(process.cmdline())[:160]}")
    return "\n".join(lines)

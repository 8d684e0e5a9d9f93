"""Wall time and peak RSS of a command's whole process tree (Dagster starts a process per
step, so the parent's own RSS would miss the step that does the work)."""

import resource
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import psutil

POLL_S = 0.05


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def measure(
    command: Sequence[str], env: Mapping[str, str], cwd: Path | None = None
) -> tuple[float, float, float]:
    """(seconds, peak MiB of the tree's summed RSS, sampled every 50 ms, CPU seconds of
    the tree). The CPU time, user and system, is that of every process of the tree that
    was waited for (Dagster waits for its step processes): on a shared machine it moves
    far less with the load than the wall time does."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    child = subprocess.Popen(
        command, env=dict(env), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    process, peak = psutil.Process(child.pid), 0
    while child.poll() is None:
        try:
            peak = max(peak, tree_rss(process))
        except psutil.NoSuchProcess:
            break
        time.sleep(POLL_S)
    _, stderr = child.communicate()
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"{command[:6]} failed:\n{stderr.decode()[-4000:]}")
    return seconds, peak / 2**20, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime

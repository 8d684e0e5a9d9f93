"""Progress of long commands: a bar with rate and time left on a terminal, plain lines in pipes."""

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichProgress
from rich.text import Text


class Progress(Protocol):
    def advance(self, amount: int) -> None: ...


class _PlainProgress:
    """A line every few seconds: readable in CI logs and pipes."""

    def __init__(self, label: str, total: int | None, every_s: float = 5.0) -> None:
        self._label, self._total, self._every_s = label, total, every_s
        self._done = 0
        self._started = self._last = time.monotonic()

    def advance(self, amount: int) -> None:
        self._done += amount
        now = time.monotonic()
        if now - self._last >= self._every_s:
            self._last = now
            rate = self._done / max(now - self._started, 1e-9)
            of_total = f"/{self._total:,}" if self._total else ""
            print(f"{self._label}: {self._done:,}{of_total} ({rate:,.0f}/s)", file=sys.stderr)


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.0f}/s" if task.speed else "")


class _RichProgress:
    def __init__(self, bar: RichProgress, task_id: int) -> None:
        self._bar, self._task_id = bar, task_id

    def advance(self, amount: int) -> None:
        self._bar.advance(self._task_id, amount)  # type: ignore[arg-type]


@contextmanager
def progress(label: str, total: int | None) -> Iterator[Progress]:
    if not sys.stderr.isatty():
        yield _PlainProgress(label, total)
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeRemainingColumn(),
    )
    with RichProgress(*columns) as bar:
        yield _RichProgress(bar, bar.add_task(label, total=total))

"""A run's wall time against the time its steps computed, read from the instance's event log."""

from dataclasses import dataclass
from statistics import median

import dagster as dg


@dataclass(frozen=True)
class RunTiming:
    wall_s: float
    steps_s: float
    # From the request (UI) or the command's start (CLI) to the run's RUN_START event: the
    # queue, the daemon, the run's process, Dagster's import and the code location's load.
    to_start_s: float

    @classmethod
    def of(
        cls, instance: dg.DagsterInstance, run_id: str, requested: float, ended: float
    ) -> "RunTiming":
        """`requested` and `ended` are UNIX times."""
        (start,) = instance.all_logs(run_id, of_type=dg.DagsterEventType.RUN_START)
        return cls(
            wall_s=ended - requested,
            steps_s=steps_seconds(instance, run_id),
            to_start_s=start.timestamp - requested,
        )

    @property
    def overhead_s(self) -> float:
        return self.wall_s - self.steps_s


def steps_seconds(instance: dg.DagsterInstance, run_id: str) -> float:
    """The sum of each step's time from STEP_START to STEP_SUCCESS."""
    events = instance.all_logs(
        run_id, of_type={dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS}
    )
    started: dict[str, float] = {}
    total = 0.0
    for event in events:
        assert event.dagster_event is not None
        assert event.step_key is not None
        if event.dagster_event.event_type == dg.DagsterEventType.STEP_START:
            started[event.step_key] = event.timestamp
        else:
            total += event.timestamp - started.pop(event.step_key)
    return total


def run_end(instance: dg.DagsterInstance, run_id: str) -> float | None:
    """When the run ended (a UNIX time), or None while it has not."""
    record = instance.get_run_record_by_id(run_id)
    if record is None or not record.dagster_run.is_finished:
        return None
    if record.dagster_run.status != dg.DagsterRunStatus.SUCCESS:
        failures = instance.all_logs(
            run_id, of_type={dg.DagsterEventType.STEP_FAILURE, dg.DagsterEventType.RUN_FAILURE}
        )
        raise RuntimeError(f"run {run_id} failed: {[event.message for event in failures]}")
    assert record.end_time is not None
    return record.end_time


def median_overhead(timings: list[RunTiming]) -> float:
    return median(t.overhead_s for t in timings)


def summary(timings: list[RunTiming]) -> str:
    wall = median(t.wall_s for t in timings)
    steps = median(t.steps_s for t in timings)
    overhead = median_overhead(timings)
    to_start = median(t.to_start_s for t in timings)
    n = len(timings)
    return (
        f"wall {wall:6.1f} s  steps {steps:6.1f} s  overhead {overhead:6.1f} s"
        f"  (of which to the run's start {to_start:5.1f} s)  (n={n})"
    )

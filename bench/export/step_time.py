"""The seconds a run's step took, from the instance's event log: STEP_START to
STEP_SUCCESS, which holds the asset's work and all its checks but not the process start,
the code location's load or the run's own bookkeeping."""

from pathlib import Path

import dagster as dg

_KINDS = {dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS}


def last_step_seconds(dagster_home: Path) -> float:
    """The step time of the instance's latest run (its only step)."""
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        run = instance.get_runs(limit=1)[0]
        events = instance.all_logs(run.run_id, of_type=_KINDS)
    times = {event.dagster_event_type: event.timestamp for event in events}
    return times[dg.DagsterEventType.STEP_SUCCESS] - times[dg.DagsterEventType.STEP_START]

"""Runs a day through the pipeline and dies (SIGKILL) the moment it would publish.

Usage: python crash_before_publish.py DATA_DIR DAY. A real kill, not an exception: no
`finally` runs, as when the machine or the run's task is lost.
"""

import os
import signal
import sys
from datetime import date
from pathlib import Path

import dagster as dg

from ingest_service.settings import PipelineSettings
from orchestration.definitions import build_definitions
from orchestration.resources.lake import LocalLake, StagedPartition, WrittenPartition


def _die(self: LocalLake, staged: StagedPartition) -> WrittenPartition:
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")


def main(data_dir: str, day: str) -> None:
    LocalLake.publish = _die  # type: ignore[method-assign]
    settings = PipelineSettings(data_dir=Path(data_dir), start_date=date(2026, 1, 1))
    job = build_definitions(settings).resolve_job_def("daily_pipeline_job")
    job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), partition_key=day)


if __name__ == "__main__":
    main(*sys.argv[1:])

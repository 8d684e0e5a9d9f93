"""The code location as it was: a Python process per step (the baseline of run.py)."""

import dagster as dg

from ingest_service.settings import PipelineSettings
from orchestration.definitions import build_definitions


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(PipelineSettings.from_env(), executor=dg.multiprocess_executor)

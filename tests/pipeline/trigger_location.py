"""The code location of the daemon's trigger test: the pipeline's own definitions, on
local resources, with the trigger queue the test names (SQS on moto's server).

The queue is an AWS-mode setting; here the sensor reads it while the runs it launches
work on the local store and lake, so that they really run, and quickly.
"""

import dataclasses
import os

import dagster as dg

from ingest_service.settings import PipelineSettings
from orchestration.definitions import build_definitions

QUEUE_URL = "CLICKSTREAM_TEST_TRIGGER_QUEUE_URL"


@dg.definitions
def defs() -> dg.Definitions:
    settings = PipelineSettings.from_env()
    return build_definitions(dataclasses.replace(settings, trigger_queue_url=os.environ[QUEUE_URL]))

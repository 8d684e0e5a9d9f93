"""One backfill in aws mode under moto, with moto's request recording on: run by run.py.

Run with a checkout's code first on the path (this file does not import its own), so
the same scenario measures the code before and after a change. Prints one JSON line.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

WORK = Path(tempfile.mkdtemp(prefix="athena-backfill-"))
# Read by moto when it is imported: where the recording goes.
os.environ["MOTO_RECORDER_FILEPATH"] = str(WORK / "recording.jsonl")
for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
    os.environ.pop(name, None)
os.environ.update(
    AWS_ACCESS_KEY_ID="bench",
    AWS_SECRET_ACCESS_KEY="bench",
    AWS_DEFAULT_REGION="eu-west-1",
    AWS_REGION="eu-west-1",
)

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402
from moto.athena.models import athena_backends  # noqa: E402
from moto.core.models import DEFAULT_ACCOUNT_ID  # noqa: E402
from moto.moto_api import recorder  # noqa: E402
from moto_dynamodb import fast_queries, put_items  # noqa: E402
from recording import from_recording, tables_read  # noqa: E402

REGION = "eu-west-1"
BUCKET = "clickstream-bench-lake"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--clicks-per-day", type=int, default=6000)
    args = parser.parse_args()
    first = date(2026, 3, 1)
    days = [first + timedelta(days=n) for n in range(args.days)]
    try:
        with mock_aws(), fast_queries():
            print(json.dumps(backfill(days, args.clicks_per_day)))
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


def backfill(days: list[date], clicks_per_day: int) -> dict[str, Any]:
    from ingest_service.settings import PipelineSettings
    from ingest_service.store.dynamodb import DynamoDBClickStore
    from ingest_service.store.dynamodb_items import click_item
    from ingest_service.synthetic import synthetic_clicks
    from orchestration.resources.aws_clients import _session
    from tests.aws import athena_double
    from tests.pipeline.conftest import Pipeline

    boto3.client("s3").create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    settings = PipelineSettings(
        env="aws",
        data_dir=WORK / "data",
        dynamodb_table="clickstream-bench",
        lake_uri=f"s3://{BUCKET}/lake",
        glue_database="clickstream_bench",
        athena_workgroup="primary",
        athena_output=f"s3://{BUCKET}/athena-results/",
        alert_topic_arn=boto3.client("sns").create_topic(Name="alerts")["TopicArn"],
        start_date=date(2026, 1, 1),
    )
    clicks = list(synthetic_clicks(days[0], len(days), clicks_per_day, seed=5))
    store = DynamoDBClickStore(settings.dynamodb_table, retention_days=400)
    store.setup()
    store.close()
    # The click items the store writes, without its API: through it (a conditional
    # PutItem of an id guard per click, then BatchWriteItem) 60,000 clicks took minutes
    # of moto's time before the backfill started. The backfill reads the days' click
    # items only, not the guards nor the live counters.
    items = (click_item(click, store.retention_days) for click in clicks)
    put_items(REGION, settings.dynamodb_table, items)

    results: list[dict[str, Any]] = []

    def asked(params: dict[str, Any], **_: Any) -> None:
        results.append({"id": params["QueryExecutionId"], "rows": 0, "bytes": 0})

    def answered(http_response: Any, parsed: dict[str, Any], **_: Any) -> None:
        # A page each call: the pipeline's calls are on one thread, so the last asked.
        results[-1]["bytes"] += len(http_response.content)
        results[-1]["rows"] += len(parsed["ResultSet"]["Rows"])

    _session().events.register("provide-client-params.athena.GetQueryResults", asked)
    _session().events.register("after-call.athena.GetQueryResults", answered)
    if hasattr(athena_double, "athena_double"):  # Athena writes the summaries (UNLOAD)
        answering = athena_double.athena_double(WORK / "athena", REGION)
    else:  # the rows come back through GetQueryResults: queue them in moto first
        tables = athena_double.local_summary_results(clicks, days, WORK / "local")
        athena_double.queue_athena_results(tables, REGION)
        answering = None
    pipeline = Pipeline(settings)
    recorder.reset_recording()
    recorder.start_recording()
    started = time.perf_counter()
    if answering is None:
        success = pipeline.materialize(days[0], days[-1]).success
    else:
        with answering:
            success = pipeline.materialize(days[0], days[-1]).success
    seconds = time.perf_counter() - started
    recorder.stop_recording()
    pipeline.instance.dispose()
    return {
        "success": success,
        "seconds": seconds,
        **from_recording(recorder.download_recording()),
        "results": [_with_statement(result) for result in results],
    }


def _with_statement(result: dict[str, Any]) -> dict[str, Any]:
    """The result's statement, its rows less the header row and the tables it reads."""
    execution = athena_backends[DEFAULT_ACCOUNT_ID][REGION].executions[result.pop("id")]
    return {**result, "rows": result["rows"] - 1, "reads": tables_read(execution.query)}


if __name__ == "__main__":
    sys.exit(main())

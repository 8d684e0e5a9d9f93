"""One backfill in aws mode under moto, with moto's request recording on: run by run.py.

Run with a checkout's code first on the path (this file does not import its own), so
the same scenario measures the code before and after a change. Prints one JSON line.
"""

import argparse
import base64
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
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
from moto.moto_api import recorder  # noqa: E402

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
        with mock_aws():
            print(json.dumps(backfill(days, args.clicks_per_day)))
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


def backfill(days: list[date], clicks_per_day: int) -> dict[str, Any]:
    from ingest_service.settings import PipelineSettings
    from ingest_service.store.dynamodb import DynamoDBClickStore
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
    store.write(clicks)
    store.close()

    results_bytes: list[int] = []
    results_rows: list[int] = []

    def measure_results(http_response: Any, parsed: dict[str, Any], **_: Any) -> None:
        results_bytes.append(len(http_response.content))
        results_rows.append(len(parsed["ResultSet"]["Rows"]) - 1)  # less the header row

    _session().events.register("after-call.athena.GetQueryResults", measure_results)
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
        **_from_recording(),
        **{
            "results_bytes": sum(results_bytes),
            "results_rows": results_rows,
        },
    }


def _from_recording() -> dict[str, Any]:
    calls: Counter[str] = Counter()
    put_bytes: Counter[str] = Counter()
    summary_gets = 0
    for line in recorder.download_recording().splitlines():
        entry = json.loads(line)
        headers = entry["headers"]
        target = headers.get("X-Amz-Target", "")
        if target:
            calls[target.split(".")[-1]] += 1
            continue
        # Summaries, and the places the export writes for the regions' join since.
        table = next((t for t in ("/summaries/", "/places/") if t in entry["url"]), None)
        if table is None:
            continue
        if entry["method"] == "PUT":
            body = entry.get("body") or ""
            raw = base64.b64decode(body) if entry.get("body_encoded") else body.encode()
            put_bytes[table] += len(raw)
        elif entry["method"] == "GET" and table == "/summaries/":
            summary_gets += 1
    return {
        "api_calls": dict(calls),
        "summary_put_bytes": put_bytes["/summaries/"],
        "places_put_bytes": put_bytes["/places/"],
        "summary_get_calls": summary_gets,
    }


if __name__ == "__main__":
    sys.exit(main())

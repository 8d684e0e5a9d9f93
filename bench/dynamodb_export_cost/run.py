"""Items DynamoDB reads to export one day: the seed's date-filtered Scan against our Queries.

Runs in-process against moto (no AWS account): a table holding 30 days of clicks, then
one day exported both ways. DynamoDB bills a read by the items it examines
(ScannedCount), not by those a filter keeps, so that is the figure compared.

    .tools/bin/uv run --frozen python -m bench.dynamodb_export_cost.run [--clicks-per-day 500]
"""

import argparse
import os
import time
from datetime import date, timedelta
from typing import Any

from moto import mock_aws

from ingest_service.store.dynamodb import DynamoDBClickStore
from ingest_service.store.dynamodb_items import day_partition_keys
from ingest_service.synthetic import synthetic_clicks

TABLE = "clickstream-bench"
FIRST_DAY = date(2026, 1, 1)


def seed_scan_read(client: Any, day: date) -> tuple[int, int]:
    """(items scanned, items kept): a full Scan keeping the day's clicks, as the seed did."""
    scanned = kept = 0
    params: dict[str, Any] = {
        "TableName": TABLE,
        "FilterExpression": "event_date = :day",
        "ExpressionAttributeValues": {":day": {"S": day.isoformat()}},
    }
    while True:
        page = client.scan(**params)
        scanned += page["ScannedCount"]
        kept += page["Count"]
        if "LastEvaluatedKey" not in page:
            return scanned, kept
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def query_read(client: Any, day: date) -> tuple[int, int]:
    """(items scanned, items kept) by one Query per shard key of the day, as the store reads."""
    scanned = kept = 0
    for pk in day_partition_keys(day):
        params: dict[str, Any] = {
            "TableName": TABLE,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": pk}},
        }
        while True:
            page = client.query(**params)
            scanned += page["ScannedCount"]
            kept += page["Count"]
            if "LastEvaluatedKey" not in page:
                break
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return scanned, kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--clicks-per-day", type=int, default=500)
    args = parser.parse_args()
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1"
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    with mock_aws():
        store = DynamoDBClickStore(TABLE, retention_days=400)
        store.setup()
        started = time.perf_counter()
        clicks = list(synthetic_clicks(FIRST_DAY, args.days, args.clicks_per_day, seed=1))
        store.write(clicks)
        print(
            f"table: {len(clicks):,} clicks over {args.days} days "
            f"(loaded in {time.perf_counter() - started:.1f} s)"
        )
        day = FIRST_DAY + timedelta(days=args.days // 2)
        scan_scanned, scan_kept = seed_scan_read(store.client, day)
        query_scanned, query_kept = query_read(store.client, day)
        store.close()
    assert scan_kept == query_kept == args.clicks_per_day, (scan_kept, query_kept)
    # A Scan reads every item in the table.
    print(f"table items: {scan_scanned:,}")
    print(f"export of {day} ({query_kept:,} clicks):")
    print(f"  seed, Scan with a date filter: {scan_scanned:>9,} items read")
    print(f"  ours, Query per shard:         {query_scanned:>9,} items read")
    print(f"  ratio: {scan_scanned / query_scanned:.1f}x fewer items read by the Queries")


if __name__ == "__main__":
    main()

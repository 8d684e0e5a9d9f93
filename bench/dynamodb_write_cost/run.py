"""What storing a click costs on DynamoDB, before and after the id guard: requests, units.

Runs in-process against moto (no AWS account). Every request the store sends is counted
by operation through botocore's event hooks, and each item it writes or reads is priced
by DynamoDB's rules: a write unit per started KB of the item (a failed conditional write
is billed too), a strongly consistent read unit per started 4 KB. Item sizes follow
DynamoDB's sizing: attribute names plus values, a number about one byte per two digits.

Before: the click item alone, BatchWriteItem of 25 (the store until the guard). After:
the store as shipped, for new clicks, for the same clicks resent in a later request, and
resent the next day. The counts do not vary between runs: one run is the figure.

    .tools/bin/uv run --frozen python -m bench.dynamodb_write_cost.run [--clicks 1000]
"""

import argparse
import math
import os
import threading
from collections import Counter
from datetime import date, timedelta
from typing import Any

import msgspec
from moto import mock_aws

from ingest_service.contract import Click
from ingest_service.store.dynamodb import BATCH_WRITE_LIMIT, DynamoDBClickStore
from ingest_service.store.dynamodb_items import click_item
from ingest_service.synthetic import synthetic_clicks

TABLE = "clickstream-bench"
DAY = date(2026, 3, 1)
RETENTION_DAYS = 400


def item_size(item: dict[str, Any]) -> int:
    size = 0
    for name, value in item.items():
        ((kind, raw),) = value.items()
        size += len(name.encode())
        if kind == "S":
            size += len(raw.encode())
        elif kind == "N":
            size += math.ceil(len(raw.lstrip("-").replace(".", "")) / 2) + 1
        else:  # BOOL
            size += 1
    return size


class Meter:
    """Requests per operation, and capacity units of what they carried."""

    def __init__(self, client: Any) -> None:
        self.requests: Counter[str] = Counter()
        self.write_units = 0
        self.read_units = 0
        self._lock = threading.Lock()
        client.meta.events.register("provide-client-params.dynamodb", self._count)

    def _count(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        with self._lock:
            self.requests[model.name] += 1
            if model.name == "BatchWriteItem":
                for requests in params["RequestItems"].values():
                    for request in requests:
                        put = request.get("PutRequest")
                        if put:
                            self.write_units += math.ceil(item_size(put["Item"]) / 1024)
            elif model.name == "PutItem":
                self.write_units += math.ceil(item_size(params["Item"]) / 1024)
            elif model.name == "GetItem":
                # The looked-up click is billed whole, whatever the projection.
                self.read_units += 1

    def per_click(self, clicks: int) -> str:
        requests = sum(self.requests.values())
        ops = ", ".join(f"{op} {n / clicks:.2f}" for op, n in sorted(self.requests.items()))
        units = f"{self.write_units / clicks:.2f} write units, {self.read_units / clicks:.2f} read"
        return f"{requests / clicks:.2f} requests ({ops}); {units} units"


def before(clicks: list[Click]) -> Meter:
    store = DynamoDBClickStore(TABLE + "-before", RETENTION_DAYS)
    store.setup()
    meter = Meter(store.client)
    items = [click_item(click, RETENTION_DAYS) for click in clicks]
    for start in range(0, len(items), BATCH_WRITE_LIMIT):
        part = items[start : start + BATCH_WRITE_LIMIT]
        requests = [{"PutRequest": {"Item": item}} for item in part]
        store.client.batch_write_item(RequestItems={store.table_name: requests})
    store.close()
    return meter


def after(clicks: list[Click]) -> dict[str, Meter]:
    store = DynamoDBClickStore(TABLE, RETENTION_DAYS)
    store.setup()
    next_day = [msgspec.structs.replace(c, event_date=DAY + timedelta(days=1)) for c in clicks]
    meters = {}
    for name, batch, answer in (
        ("new clicks", clicks, True),
        ("resent in a later request", clicks, False),
        ("resent the next day", next_day, False),
    ):
        meters[name] = Meter(store.client)
        for start in range(0, len(batch), 50):  # the tracker's batches
            part = batch[start : start + 50]
            assert store.write(part) == [answer] * len(part), name
        store.client.meta.events.unregister("provide-client-params.dynamodb", meters[name]._count)
    store.close()
    return meters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=1000)
    args = parser.parse_args()
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1"
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    clicks = list(synthetic_clicks(DAY, 1, args.clicks, seed=1))
    sizes = sorted(item_size(click_item(c, RETENTION_DAYS)) for c in clicks)
    with mock_aws():
        baseline = before(clicks)
        measured = after(clicks)
    print(f"{args.clicks:,} clicks in batches of 50; click item {sizes[0]}-{sizes[-1]} bytes")
    print(f"before, new clicks: {baseline.per_click(args.clicks)}")
    for name, meter in measured.items():
        print(f"after, {name}: {meter.per_click(args.clicks)}")


if __name__ == "__main__":
    main()

"""Faults and probes at the boto3 client boundary, through botocore's event hooks.

The calls still reach moto (DynamoDB, or SNS for alerts); the hooks only record them, or
answer one in the service's place (throttling), or make it report part of its work as
not done.
"""

import threading
from collections import Counter
from typing import Any

from botocore.awsrequest import AWSResponse


class OperationLog:
    """Counts the API operations a client makes."""

    def __init__(self, client: Any) -> None:
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()
        client.meta.events.register("before-call.dynamodb", self._record)

    def _record(self, model: Any, **_: Any) -> None:
        with self._lock:
            self.calls[model.name] += 1


class Throttle:
    """Answers the first `times` calls of one operation with a throttling error."""

    def __init__(self, client: Any, operation: str, times: int, service: str = "dynamodb") -> None:
        self.remaining = times
        self._lock = threading.Lock()
        client.meta.events.register(f"before-call.{service}.{operation}", self._answer)

    def _answer(self, **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        with self._lock:
            if self.remaining == 0:
                return None
            self.remaining -= 1
        error = {
            "Code": "ProvisionedThroughputExceededException",
            "Message": "The level of configured provisioned throughput was exceeded",
        }
        return AWSResponse("https://dynamodb", 400, {}, None), {
            "Error": error,
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }


class UnprocessedItems:
    """Drops half of each of the first `times` BatchWriteItem calls and reports it unprocessed."""

    def __init__(self, client: Any, times: int) -> None:
        self.remaining = times
        self.dropped = 0
        self._lock = threading.Lock()
        events = client.meta.events
        events.register("provide-client-params.dynamodb.BatchWriteItem", self._drop_half)
        events.register("after-call.dynamodb.BatchWriteItem", self._report)

    def _drop_half(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> Any:
        with self._lock:
            if self.remaining == 0:
                return None
            self.remaining -= 1
        ((table, requests),) = params["RequestItems"].items()
        keep = len(requests) // 2
        self.dropped += len(requests) - keep
        context["unprocessed"] = {table: requests[keep:]}
        return {**params, "RequestItems": {table: requests[:keep]}}

    def _report(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if "unprocessed" in context:
            parsed["UnprocessedItems"] = context["unprocessed"]


class SmallPages:
    """Cuts every Query page to `size` items, as DynamoDB does at 1 MB, to exercise paging."""

    def __init__(self, client: Any, size: int) -> None:
        self.size = size
        client.meta.events.register("after-call.dynamodb.Query", self._cut)

    def _cut(self, parsed: dict[str, Any], **_: Any) -> None:
        items = parsed.get("Items", [])
        if len(items) > self.size:
            parsed["Items"] = items[: self.size]
            parsed["Count"] = self.size
            last = items[self.size - 1]
            parsed["LastEvaluatedKey"] = {"pk": last["pk"], "id": last["id"]}


class ObjectReads:
    """Records the GetObject calls a client makes: each object's key and range."""

    def __init__(self, client: Any) -> None:
        self._reads: list[tuple[str, str, str | None]] = []
        self._lock = threading.Lock()
        client.meta.events.register("provide-client-params.s3.GetObject", self._record)

    def _record(self, params: dict[str, Any], **_: Any) -> None:
        with self._lock:
            self._reads.append((params["Bucket"], params["Key"], params.get("Range")))

    def ranges(self, uri: str) -> list[tuple[int, int] | None]:
        """The byte ranges read of the object at `uri`, in order; None for a whole GET."""
        bucket, key = uri.removeprefix("s3://").split("/", 1)
        found: list[tuple[int, int] | None] = []
        for read_bucket, read_key, asked in self._reads:
            if (read_bucket, read_key) != (bucket, key):
                continue
            if asked is None:
                found.append(None)
            else:
                start, end = asked.removeprefix("bytes=").split("-")
                found.append((int(start), int(end)))
        return found

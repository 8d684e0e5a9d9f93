"""Erasing a visitor from the DynamoDB click table: Queries per day and shard, no Scan.

The table is keyed by day and shard, not by visitor, so every partition key of the
retention window is queried with a filter on the visitor's ids, and the matches are
deleted with BatchWriteItem, with their id guards (dynamodb_once). That reads the whole
window once: a rare, deliberate cost, the same as a Scan's but in bounded pages and
parallel by key.
"""

from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from datetime import date, timedelta
from typing import Any

from ingest_service.store.base import ErasedClicks, StoreUnavailable
from ingest_service.store.dynamodb_items import Item, day_partition_keys
from ingest_service.store.dynamodb_once import guard_key
from ingest_service.store.dynamodb_retry import Backoff, call_with_retry

BATCH_WRITE_LIMIT = 25
Call = Callable[..., dict[str, Any]]


def erase_visitor(
    client: Any,
    table_name: str,
    *,
    pool: Executor,
    backoff: Backoff,
    days: list[date],
    anonymous_id: str | None,
    session_id: str | None,
) -> ErasedClicks:
    what = f"DynamoDB table {table_name}"
    matches = _visitor_filter(anonymous_id, session_id)

    def keys_of(pk: str) -> list[Item]:
        return list(_matching_keys(client.query, what, backoff, table_name, pk, matches))

    pks = [pk for day in days for pk in day_partition_keys(day)]
    keys = [key for found in pool.map(keys_of, pks) for key in found]
    # The id guards hold the click ids: they go too.
    doomed = keys + [guard_key(key["id"]["S"]) for key in keys]
    size = BATCH_WRITE_LIMIT
    chunks = [doomed[i : i + size] for i in range(0, len(doomed), size)]
    for _ in pool.map(lambda chunk: _delete(client, what, backoff, table_name, chunk), chunks):
        pass
    erased_days = sorted({date.fromisoformat(key["pk"]["S"].split("#")[0]) for key in keys})
    notes = (f"{len(keys):,} id guard(s) deleted",) if keys else ()
    return ErasedClicks(count=len(keys), days=tuple(erased_days), notes=notes)


def retention_window(today: date, retention_days: int) -> list[date]:
    """Every day an item may still be stored on: older ones have expired (TTL)."""
    return [today - timedelta(days=n) for n in range(retention_days + 1)]


def _visitor_filter(anonymous_id: str | None, session_id: str | None) -> dict[str, Any]:
    """Query parameters that keep only the visitor's items."""
    conditions, values = [], {}
    if anonymous_id is not None:
        conditions.append("anonymous_id = :anonymous_id")
        values[":anonymous_id"] = {"S": anonymous_id}
    if session_id is not None:
        conditions.append("session_id = :session_id")
        values[":session_id"] = {"S": session_id}
    return {"FilterExpression": " OR ".join(conditions), "ExpressionAttributeValues": values}


def _matching_keys(
    query: Call, what: str, backoff: Backoff, table_name: str, pk: str, matches: dict[str, Any]
) -> Iterator[Item]:
    params: dict[str, Any] = {
        "TableName": table_name,
        "KeyConditionExpression": "pk = :pk",
        "FilterExpression": matches["FilterExpression"],
        "ExpressionAttributeValues": {":pk": {"S": pk}, **matches["ExpressionAttributeValues"]},
        "ProjectionExpression": "pk, id",
        # Strongly consistent: a click written a moment ago must be found too.
        "ConsistentRead": True,
    }
    while True:
        page = call_with_retry(query, what, backoff, **params)
        yield from page["Items"]
        if "LastEvaluatedKey" not in page:
            return
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _delete(client: Any, what: str, backoff: Backoff, table_name: str, keys: list[Item]) -> None:
    requests = [{"DeleteRequest": {"Key": key}} for key in keys]
    for _ in backoff.attempts():
        response = call_with_retry(
            client.batch_write_item, what, backoff, RequestItems={table_name: requests}
        )
        requests = response.get("UnprocessedItems", {}).get(table_name, [])
        if not requests:
            return
    raise StoreUnavailable(f"{what}: erase gave up with {len(requests)} deletion(s) unprocessed")

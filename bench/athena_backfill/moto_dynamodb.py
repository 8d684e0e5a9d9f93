"""Moto's DynamoDB Query, made to cost about what the bench measures around it.

Moto 5.2 answers every Query (every page of it) by sorting the whole table and then
filtering it by the partition key, so a day's read costs the table's size, not the day's:
the backfill's export reads each day with a Query per shard, so its time grew with the
square of the days. Then it serializes the answer through its generic, botocore-model
driven serializer: about 2 ms of CPU a click item, 4.7 s for a day of 2,000 clicks.

While installed, a Query on the table's own key (no index) starts from the items of its
partition key alone, in range-key order (what moto's filter and sort leave of the whole
table), and its answer is written as DynamoDB's JSON directly, as moto itself did before
5.1. The requests and the answers' content are the same, so what is recorded is too.

`put_items` fills a table through moto's backend, not its API (not measured, and not
recorded): the store's own items, without moto's check of an item's size, which sums
the item again at each attribute it sets (17% of a 12-day run's samples went there).
"""

import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.core.responses import ActionResult
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import LimitedSizeDict
from moto.dynamodb.models.table import Item, Table
from moto.dynamodb.models.utilities import DynamoJsonEncoder
from moto.dynamodb.responses import DynamoHandler

_partition = threading.local()  # Queries run on the store's threads, each its own key.


@contextmanager
def fast_queries() -> Iterator[None]:
    query, all_items, answer = Table.query, Table.all_items, DynamoHandler.query

    def narrowed_query(table: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        _partition.key = hash_key if index_name is None and table.range_key_attr else None
        try:
            return query(table, hash_key, *args, **kwargs)
        finally:
            _partition.key = None

    def partition_items(table: Table) -> list[Item]:
        key = getattr(_partition, "key", None)
        if key is None:
            return all_items(table)
        return sorted(table.items.get(key, {}).values(), key=lambda item: item.range_key)

    def json_answer(handler: DynamoHandler) -> Any:
        result = answer(handler)
        if isinstance(result, ActionResult) and not isinstance(result.result, Exception):
            # Already plain types (binary values as bytes, base64 on the wire).
            return json.dumps(result.result, cls=DynamoJsonEncoder)
        return result

    Table.query, Table.all_items = narrowed_query, partition_items  # type: ignore[method-assign]
    DynamoHandler.query = json_answer  # type: ignore[method-assign]
    try:
        yield
    finally:
        Table.query, Table.all_items = query, all_items  # type: ignore[method-assign]
        DynamoHandler.query = answer  # type: ignore[method-assign]


def put_items(region: str, table_name: str, items: Iterable[dict[str, Any]]) -> None:
    """Items far below DynamoDB's 400 KB (click items)."""
    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][region].get_table(table_name)
    checked = LimitedSizeDict.__setitem__
    LimitedSizeDict.__setitem__ = dict.__setitem__  # type: ignore[assignment]
    try:
        for item in items:
            table.put_item(item)
    finally:
        LimitedSizeDict.__setitem__ = checked  # type: ignore[method-assign]

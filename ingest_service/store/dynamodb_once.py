"""Each click id stored once on DynamoDB, whatever day it is resent on: an id guard item.

A click item's key holds its arrival day, so a click resent after midnight (from the
tracker's offline queue, which keeps clicks with no age limit) would be a new item on
the next day. So before a click is written, its id is claimed: a PutItem of the guard
item pk "id#<id>", on the condition that none exists, naming the key the click is
written at. A repeat, however late and in whatever request, finds the guard and is
answered "duplicate" without being written.

A guard can stand for a click that was never written: the write after the claim failed
(the client got a 503 and resends). So a repeat that finds a guard looks the click up
at the key the guard names; when it is not there, the repeat takes the guard over (an
update on the condition that it still names that key, so of concurrent repeats one
wins) and is written as new. The guard expires with the click (same TTL).

Transactions (TransactWriteItems) would write guard and click atomically, but bill
twice: 4 write units a click instead of the 2 here.
"""

from typing import Any

from botocore.exceptions import ClientError

from ingest_service.store.base import StoreUnavailable
from ingest_service.store.dynamodb_items import TTL_ATTRIBUTE, Item
from ingest_service.store.dynamodb_retry import Backoff, call_with_retry, error_code

GUARD_PREFIX = "id#"
# The attribute of a guard that names the key of its click item.
_CLICK_PK = "click_pk"


def guard_key(click_id: str) -> Item:
    return {"pk": {"S": GUARD_PREFIX + click_id}, "id": {"S": click_id}}


class IdGuards:
    def __init__(self, client: Any, table: str, backoff: Backoff) -> None:
        self._client, self._table, self._backoff = client, table, backoff
        self._what = f"DynamoDB table {table}"

    def claim(self, item: Item) -> bool:
        """True when the click is to be written (its id was never stored), else False."""
        guard = {
            **guard_key(item["id"]["S"]),
            _CLICK_PK: item["pk"],
            TTL_ATTRIBUTE: item[TTL_ATTRIBUTE],
        }
        try:
            self._call(
                self._client.put_item,
                Item=guard,
                ConditionExpression="attribute_not_exists(pk)",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
            return True
        except _ConditionFailed as failed:
            earlier = failed.item.get(_CLICK_PK)
        if earlier is not None and self._click_exists(earlier, item["id"]):
            return False
        return self._take_over(guard, earlier)

    def _click_exists(self, pk: dict[str, str], click_id: dict[str, str]) -> bool:
        found = self._call(
            self._client.get_item,
            Key={"pk": pk, "id": click_id},
            ProjectionExpression="id",
            ConsistentRead=True,  # the click may have been written a moment ago
        )
        return "Item" in found

    def _take_over(self, guard: Item, earlier: dict[str, str] | None) -> bool:
        condition = (
            {
                "ConditionExpression": f"{_CLICK_PK} = :earlier",
                "ExpressionAttributeValues": {":earlier": earlier},
            }
            if earlier is not None
            else {"ConditionExpression": f"attribute_not_exists({_CLICK_PK})"}
        )
        try:
            self._call(self._client.put_item, Item=guard, **condition)
            return True
        except _ConditionFailed:
            return False  # another repeat took it over and writes the click

    def _call(self, operation: Any, **params: Any) -> dict[str, Any]:
        try:
            return call_with_retry(
                operation, self._what, self._backoff, TableName=self._table, **params
            )
        except StoreUnavailable as exc:
            cause = exc.__cause__
            if (
                isinstance(cause, ClientError)
                and error_code(cause) == "ConditionalCheckFailedException"
            ):
                raise _ConditionFailed(cause.response.get("Item", {})) from cause
            raise


class _ConditionFailed(Exception):
    def __init__(self, item: Item) -> None:
        super().__init__("the condition on the id guard failed")
        self.item = item

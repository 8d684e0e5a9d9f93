"""The click store on DynamoDB (aws mode): each id stored once, a day read by Queries.

Each click's id is claimed first with a conditional PutItem of an id guard
(dynamodb_once), so a click resent in a later request or on a later day is answered
"duplicate" and never written twice; repeats inside one call are told apart before
anything is sent. The new clicks are then written with BatchWriteItem, 25 a call.

Throttling, server errors, dropped connections and UnprocessedItems are retried with
exponential backoff and full jitter (dynamodb_retry); past the bound the caller gets
StoreUnavailable.

A day is read with one Query per shard key, run in parallel page by page, so memory
holds at most one page (1 MB) per shard plus one batch, and cost follows the day's
clicks rather than the table. There is no Scan anywhere. The live view reads
per-minute counters written beside the clicks (dynamodb_live).
"""

import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoRegionError, WaiterError

from ingest_service.contract import Click
from ingest_service.settings import SettingsError
from ingest_service.store.aws_session import aws_session
from ingest_service.store.base import ClickStore, ErasedClicks, StoreUnavailable
from ingest_service.store.dynamodb_erase import erase_visitor, retention_window
from ingest_service.store.dynamodb_items import (
    TTL_ATTRIBUTE,
    Item,
    click_item,
    day_partition_keys,
    items_record_batch,
)
from ingest_service.store.dynamodb_live import MinuteCounters, counter_minute, counter_queries
from ingest_service.store.dynamodb_once import IdGuards
from ingest_service.store.dynamodb_retry import Backoff, attempt, call_with_retry, error_code

if TYPE_CHECKING:
    import pyarrow as pa

BATCH_WRITE_LIMIT = 25
DEFAULT_BACKOFF = Backoff()


class DynamoDBClickStore(ClickStore):
    def __init__(
        self,
        table_name: str,
        retention_days: int,
        *,
        client: Any = None,
        backoff: Backoff = DEFAULT_BACKOFF,
        workers: int = 16,
    ) -> None:
        self.table_name = table_name
        self.retention_days = retention_days
        self.client = client if client is not None else _client(workers)
        self._backoff = backoff
        self._what = f"DynamoDB table {table_name}"
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dynamodb")
        self._live_counters = MinuteCounters(self.client, table_name)
        self._guards = IdGuards(self.client, table_name, backoff)

    def setup(self) -> None:
        try:
            self._create_table()
            self.client.get_waiter("table_exists").wait(
                TableName=self.table_name, WaiterConfig={"Delay": 2, "MaxAttempts": 60}
            )
            self._enable_ttl()
        except (ClientError, BotoCoreError, WaiterError) as exc:
            raise StoreUnavailable(f"{self._what}: {exc}") from exc

    def ping(self) -> None:
        try:
            self.client.describe_table(TableName=self.table_name)
        except (ClientError, BotoCoreError) as exc:
            raise StoreUnavailable(f"{self._what}: {exc}") from exc

    def submit(self, clicks: Sequence[Click]) -> "Future[list[bool]]":
        firsts, items = self._first_of_each_id(clicks)
        size = BATCH_WRITE_LIMIT
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        parts = [self._pool.submit(self._write_chunk, chunk) for chunk in chunks]
        return _all_done(parts, firsts)

    def count_day(self, day: date) -> int:
        return sum(self._pool.map(self._count_key, day_partition_keys(day)))

    def read_day(self, day: date, batch_rows: int = 65_536) -> Iterator["pa.RecordBatch"]:
        # Each round fetches the next page of every shard that has one left.
        start_keys: dict[str, Item | None] = dict.fromkeys(day_partition_keys(day))
        buffer: list[Item] = []
        while start_keys:
            pages = list(self._pool.map(self._query_page, start_keys.items()))
            start_keys = {}
            for pk, items, last_key in pages:
                buffer.extend(items)
                if last_key is not None:
                    start_keys[pk] = last_key
            while len(buffer) >= batch_rows:
                yield items_record_batch(buffer[:batch_rows])
                del buffer[:batch_rows]
        if buffer:
            yield items_record_batch(buffer)

    def clicks_per_minute(self, since: datetime) -> list[tuple[datetime, int]]:
        queries = counter_queries(since, datetime.now(UTC).date())
        totals: dict[datetime, int] = {}
        for items in self._pool.map(lambda params: list(self._query_items(params)), queries):
            for minute, clicks in map(counter_minute, items):
                totals[minute] = totals.get(minute, 0) + clicks
        return sorted(totals.items())

    def erase(
        self, *, anonymous_id: str | None = None, session_id: str | None = None
    ) -> ErasedClicks:
        return erase_visitor(
            self.client,
            self.table_name,
            pool=self._pool,
            backoff=self._backoff,
            days=retention_window(datetime.now(UTC).date(), self.retention_days),
            anonymous_id=anonymous_id,
            session_id=session_id,
        )

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._live_counters.flush()

    def _create_table(self) -> None:
        try:
            self.client.create_table(
                TableName=self.table_name,
                BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[
                    {"AttributeName": "pk", "AttributeType": "S"},
                    {"AttributeName": "id", "AttributeType": "S"},
                ],
                KeySchema=[
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "id", "KeyType": "RANGE"},
                ],
            )
        except ClientError as exc:
            if error_code(exc) != "ResourceInUseException":
                raise

    def _enable_ttl(self) -> None:
        described = self.client.describe_time_to_live(TableName=self.table_name)
        if described["TimeToLiveDescription"]["TimeToLiveStatus"] in ("ENABLED", "ENABLING"):
            return
        self.client.update_time_to_live(
            TableName=self.table_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
        )

    def _first_of_each_id(self, clicks: Sequence[Click]) -> tuple[list[int | None], list[Item]]:
        """The items to write, one per id, and for each click its item's index (None for a
        repeat inside the call: a duplicate, and a transaction may not name a key twice)."""
        index_of: dict[str, int] = {}
        firsts: list[int | None] = []
        items: list[Item] = []
        for click in clicks:
            if click.id in index_of:
                firsts.append(None)
                continue
            index_of[click.id] = len(items)
            firsts.append(len(items))
            items.append(click_item(click, self.retention_days))
        return firsts, items

    def _write_chunk(self, items: list[Item]) -> list[bool]:
        claimed = [self._guards.claim(item) for item in items]
        new_items = [item for item, new in zip(items, claimed, strict=True) if new]
        if new_items:
            self._batch_write(new_items)
        return claimed

    def _batch_write(self, items: list[Item]) -> None:
        requests = [{"PutRequest": {"Item": item}} for item in items]
        outcome: object = None
        for _ in self._backoff.attempts():
            response = attempt(
                self.client.batch_write_item,
                self._what,
                RequestItems={self.table_name: requests},
            )
            if isinstance(response, Exception):
                outcome = response
                continue
            requests = response.get("UnprocessedItems", {}).get(self.table_name, [])
            if not requests:
                self._live_counters.add(items)
                return
            outcome = f"{len(requests)} item(s) still unprocessed"
        raise StoreUnavailable(
            f"{self._what}: write gave up after {self._backoff.max_attempts} attempts: {outcome}"
        )

    def _query(self, **params: Any) -> dict[str, Any]:
        return call_with_retry(
            self.client.query, self._what, self._backoff, TableName=self.table_name, **params
        )

    def _query_items(self, params: dict[str, Any]) -> Iterator[Item]:
        while True:
            page = self._query(**params)
            yield from page["Items"]
            if "LastEvaluatedKey" not in page:
                return
            params = {**params, "ExclusiveStartKey": page["LastEvaluatedKey"]}

    def _count_key(self, pk: str) -> int:
        count = 0
        start_key: Item | None = None
        while True:
            page = self._query(Select="COUNT", **_key_condition(pk, start_key))
            count += int(page["Count"])
            start_key = page.get("LastEvaluatedKey")
            if start_key is None:
                return count

    def _query_page(self, cursor: tuple[str, Item | None]) -> tuple[str, list[Item], Item | None]:
        pk, start_key = cursor
        page = self._query(**_key_condition(pk, start_key))
        return pk, page["Items"], page.get("LastEvaluatedKey")


def _key_condition(pk: str, start_key: Item | None) -> dict[str, Any]:
    # Eventually consistent reads (half the cost): a day is read after it has closed.
    params: dict[str, Any] = {
        "KeyConditionExpression": "pk = :pk",
        "ExpressionAttributeValues": {":pk": {"S": pk}},
    }
    if start_key is not None:
        params["ExclusiveStartKey"] = start_key
    return params


def _client(workers: int) -> Any:
    config = Config(
        retries={"total_max_attempts": 1, "mode": "standard"},
        max_pool_connections=workers,
    )
    try:
        return aws_session().client("dynamodb", config=config)
    except NoRegionError:
        raise SettingsError(
            "AWS_REGION: no AWS region configured for DynamoDB (set AWS_REGION or a profile)"
        ) from None


def _all_done(parts: "list[Future[list[bool]]]", firsts: list[int | None]) -> "Future[list[bool]]":
    """One future for the chunks: per click, whether it was stored now, once all chunks
    succeed; else the first error."""
    combined: Future[list[bool]] = Future()
    remaining = len(parts)
    lock = threading.Lock()

    def part_done(part: "Future[list[bool]]") -> None:
        nonlocal remaining
        error = part.exception()
        with lock:
            if combined.done():
                return
            remaining -= 1
            if error is not None:
                combined.set_exception(error)
            elif remaining == 0:
                stored = [new for done in parts for new in done.result()]
                combined.set_result([i is not None and stored[i] for i in firsts])

    if not parts:
        combined.set_result([False] * len(firsts))
    for part in parts:
        part.add_done_callback(part_done)
    return combined

"""Per-minute counters of human clicks for the live view (page views left out), kept in
the click table.

The click items' keys (day, shard, id) hold no time, so reading the last hour from them
would read the whole day so far on every refresh. Instead written clicks are added to
counter items keyed pk "minutes#<day>#<shard>", sort key "HH:MM"; a refresh reads one
small key range per counter shard.

Counts gather in memory and are written at most once a second per process, by the write
that finds the last flush a second old (and at close): a busy site costs about one
counter update a second, and no background thread writes while the table is read.
Clicks that arrive within the second after a flush show at the next write's flush (on a
quiet site, with the next click). Each update goes to one of a few shards at random, so
several processes do not all write one key. Counts are of clicks stored: a duplicate
is not counted.
"""

import logging
import random
import threading
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ingest_service.store.dynamodb_items import TTL_ATTRIBUTE, Item

COUNTER_SHARDS = 4
_log = logging.getLogger(__name__)

# The live view looks back an hour; a counter outlives its day by this much, then expires.
_KEPT_AFTER_DAY = timedelta(days=2)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class MinuteCounters:
    """Per-minute counts waiting to be added to the table, flushed at most every interval."""

    def __init__(self, client: Any, table_name: str, interval_s: float = 1.0) -> None:
        self._client = client
        self._table_name = table_name
        self._interval_s = interval_s
        self._pending: Counter[datetime] = Counter()
        self._flushed_at = 0.0
        self._lock = threading.Lock()

    def add(self, items: Iterable[Item]) -> None:
        # Clicks of days long gone (`clickstream generate` writes history) need no counter.
        now = datetime.now(UTC)
        counts = Counter(
            {m: n for m, n in human_clicks_per_minute(items).items() if counter_expiry(m) > now}
        )
        with self._lock:
            self._pending.update(counts)
            if monotonic() - self._flushed_at < self._interval_s:
                return
        self.flush()

    def flush(self) -> None:
        with self._lock:
            taken, self._pending = self._pending, Counter()
            self._flushed_at = monotonic()
        for minute, clicks in taken.items():
            try:
                self._client.update_item(**counter_update(self._table_name, minute, clicks))
            except (ClientError, BotoCoreError) as exc:
                # The clicks are stored; only the live view's figure comes out low.
                _log.warning(
                    "%s: live counter for %s not updated: %s", self._table_name, minute, exc
                )


def human_clicks_per_minute(items: Iterable[Item]) -> Counter[datetime]:
    minutes: Counter[datetime] = Counter()
    for item in items:
        # An item without a type is a click stored before page views existed.
        kind = item.get("event_type", {}).get("S", "click")
        if kind == "click" and not item["is_bot"]["BOOL"]:
            received_at = _EPOCH + timedelta(microseconds=int(item["received_at"]["N"]))
            minutes[received_at.replace(second=0, microsecond=0)] += 1
    return minutes


def counter_expiry(minute: datetime) -> datetime:
    return datetime.combine(minute.date() + timedelta(days=1), time(), UTC) + _KEPT_AFTER_DAY


def counter_update(table_name: str, minute: datetime, clicks: int) -> dict[str, Any]:
    """UpdateItem parameters adding `clicks` to the minute's counter on a random shard."""
    return {
        "TableName": table_name,
        "Key": {
            "pk": {"S": _counter_pk(minute.date(), random.randrange(COUNTER_SHARDS))},
            "id": {"S": minute.strftime("%H:%M")},
        },
        "UpdateExpression": "ADD clicks :n SET #ttl = :ttl",
        "ExpressionAttributeNames": {"#ttl": TTL_ATTRIBUTE},
        "ExpressionAttributeValues": {
            ":n": {"N": str(clicks)},
            ":ttl": {"N": str(int(counter_expiry(minute).timestamp()))},
        },
    }


def counter_queries(since: datetime, until: date) -> list[dict[str, Any]]:
    """Query parameters covering every counter from `since`'s minute to the end of `until`."""
    since = since.astimezone(UTC)
    queries: list[dict[str, Any]] = []
    day = since.date()
    while day <= until:
        first_minute = since.strftime("%H:%M") if day == since.date() else "00:00"
        queries.extend(
            {
                "KeyConditionExpression": "pk = :pk AND id >= :first",
                "ExpressionAttributeValues": {
                    ":pk": {"S": _counter_pk(day, shard)},
                    ":first": {"S": first_minute},
                },
            }
            for shard in range(COUNTER_SHARDS)
        )
        day += timedelta(days=1)
    return queries


def counter_minute(item: Item) -> tuple[datetime, int]:
    day = date.fromisoformat(item["pk"]["S"].split("#")[1])
    hour, minute = (int(part) for part in item["id"]["S"].split(":"))
    return datetime.combine(day, time(hour, minute), UTC), int(item["clicks"]["N"])


def _counter_pk(day: date, shard: int) -> str:
    return f"minutes#{day.isoformat()}#{shard:02d}"

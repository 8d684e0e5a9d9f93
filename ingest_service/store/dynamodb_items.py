"""Clicks as DynamoDB items and back, driven by the contract so no column is listed twice.

Key: `pk` = "<event_date>#<shard>", sort key `id`. The shard spreads a day over several
partition keys: one key takes at most 1,000 writes/s, so a busy day on one key would be
throttled. The shard is a stable digest of the id (Python's hash() changes per process),
so a resent click lands on the same key and overwrites itself instead of doubling.
Timestamps are stored as integer microseconds since the epoch: exact and cheap to turn
into Arrow; `event_date` stays ISO text; `None` fields are left out of the item.
"""

import hashlib
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ingest_service.contract import CLICK_COLUMNS, COLUMNS, Click

if TYPE_CHECKING:  # only the pipeline reads days: the intake does without pyarrow
    import pyarrow as pa

# Changing it would hide stored items from reads: the day's keys are enumerated from it.
SHARDS = 16
TTL_ATTRIBUTE = "expires_at"

Item = dict[str, dict[str, Any]]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def shard_of(click_id: str) -> int:
    digest = hashlib.blake2b(click_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % SHARDS


def partition_key(day: date, shard: int) -> str:
    return f"{day.isoformat()}#{shard:02d}"


def day_partition_keys(day: date) -> list[str]:
    return [partition_key(day, shard) for shard in range(SHARDS)]


def click_item(click: Click, retention_days: int) -> Item:
    item: Item = {
        "pk": {"S": partition_key(click.event_date, shard_of(click.id))},
        TTL_ATTRIBUTE: {"N": str(_expiry(click.received_at, retention_days))},
    }
    for name in CLICK_COLUMNS:
        value = getattr(click, name)
        if value is not None:
            item[name] = _attribute(value)
    return item


def _expiry(received_at: datetime, retention_days: int) -> int:
    return int((received_at + timedelta(days=retention_days)).timestamp())


def _attribute(value: object) -> dict[str, Any]:
    # bool before int: bool is an int subclass.
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | float):
        return {"N": repr(value)}
    if isinstance(value, datetime):
        return {"N": str((value - _EPOCH) // _MICROSECOND)}
    if isinstance(value, date):
        return {"S": value.isoformat()}
    if isinstance(value, str):
        return {"S": value}
    raise TypeError(f"no DynamoDB type for {type(value).__name__}")


def _number(attribute: dict[str, Any]) -> object:
    return int(attribute["N"])


# Timestamps are integer microseconds, like the other integers; other kinds are text.
_READERS: dict[type, Callable[[dict[str, Any]], object]] = {
    datetime: _number,
    int: _number,
    float: lambda attribute: float(attribute["N"]),
    bool: lambda attribute: attribute["BOOL"],
    date: lambda attribute: date.fromisoformat(attribute["S"]),
}


def _read_text(attribute: dict[str, Any]) -> object:
    return attribute["S"]


def items_record_batch(items: Sequence[Item]) -> "pa.RecordBatch":
    import pyarrow as pa

    from ingest_service.contract import CLICK_SCHEMA

    arrays = []
    for column, field in zip(COLUMNS, CLICK_SCHEMA, strict=True):
        read = _READERS.get(column.kind, _read_text)
        values = [read(a) if (a := item.get(column.name)) is not None else None for item in items]
        if pa.types.is_timestamp(field.type):
            arrays.append(pa.array(values, pa.int64()).cast(field.type))
        else:
            arrays.append(pa.array(values, field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=CLICK_SCHEMA)

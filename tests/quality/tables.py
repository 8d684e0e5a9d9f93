"""Days of clicks as Arrow tables, good or broken in one chosen way."""

from collections.abc import Sequence
from datetime import date

import msgspec
import pyarrow as pa

from ingest_service.contract import CLICK_SCHEMA, Click
from ingest_service.synthetic import synthetic_clicks

DAY = date(2026, 3, 10)


def clicks(count: int = 200, day: date = DAY, seed: int = 1) -> list[Click]:
    return list(synthetic_clicks(day, 1, count, seed=seed))


def table_of(rows: list[Click]) -> pa.Table:
    return pa.Table.from_pylist([msgspec.structs.asdict(c) for c in rows], schema=CLICK_SCHEMA)


def with_column(table: pa.Table, name: str, values: Sequence[object]) -> pa.Table:
    """The table with one column replaced; the field loses its non-null flag if needed."""
    index = table.schema.get_field_index(name)
    field = table.schema.field(name)
    array = pa.array(values, field.type)
    return table.set_column(index, field.with_nullable(array.null_count > 0), array)

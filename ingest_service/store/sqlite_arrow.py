"""A day of the SQLite store read straight into Arrow record batches (ADBC).

The ADBC driver builds columns in C, about three times the rate of a Python cursor
whose rows are then converted. It types each column from the first batch it reads,
and a column that is NULL there is typed int64, which then fails on the first text
value: so the query starts with one sentinel row of the stored types, dropped here.
"""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import adbc_driver_sqlite.dbapi
import pyarrow as pa

from ingest_service.contract import CLICK_COLUMNS, CLICK_SCHEMA

# The sentinel's id: never a stored one (ids are UUIDs).
_SENTINEL_ID = ""


def _sentinel_value(arrow_type: pa.DataType) -> str:
    if pa.types.is_string(arrow_type) or pa.types.is_date(arrow_type):
        return "''"
    return "0.0" if pa.types.is_floating(arrow_type) else "0"


_SENTINEL = ", ".join(f"{_sentinel_value(field.type)} AS {field.name}" for field in CLICK_SCHEMA)
# SQLite returns the parts of a UNION ALL in order: the sentinel first; checked below.
_SELECT_DAY = (
    f"SELECT {_SENTINEL} UNION ALL SELECT * FROM (SELECT {', '.join(CLICK_COLUMNS)}"
    " FROM clicks WHERE event_date = ? ORDER BY rowid)"
)


def read_day_batches(path: Path, day: date, batch_rows: int) -> Iterator[pa.RecordBatch]:
    """The day's clicks as CLICK_SCHEMA batches of up to `batch_rows` rows."""
    with (
        adbc_driver_sqlite.dbapi.connect(str(path)) as conn,
        conn.cursor() as cursor,
    ):
        cursor.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(batch_rows)})
        cursor.execute(_SELECT_DAY, parameters=(day.isoformat(),))
        reader = cursor.fetch_record_batch()
        first = True
        for batch in reader:
            if first:
                if batch.column(0)[0].as_py() != _SENTINEL_ID:
                    raise RuntimeError("SQLite returned the day's rows before the sentinel")
                batch = batch.slice(1)
                first = False
            if batch.num_rows:
                yield _to_contract(batch)


def _to_contract(batch: pa.RecordBatch) -> pa.RecordBatch:
    # Stored as SQLite integers and text: timestamps in microseconds, booleans 0/1, ISO days.
    arrays = [
        column if column.type == field.type else column.cast(field.type)
        for column, field in zip(batch.columns, CLICK_SCHEMA, strict=True)
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=CLICK_SCHEMA)

"""Athena's GetQueryResults pages (every value a string) as an Arrow table."""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa

_TYPES: dict[str, tuple[pa.DataType, Callable[[str], object]]] = {
    "varchar": (pa.string(), str),
    "char": (pa.string(), str),
    "tinyint": (pa.int8(), int),
    "smallint": (pa.int16(), int),
    "integer": (pa.int32(), int),
    "bigint": (pa.int64(), int),
    "real": (pa.float32(), float),
    "float": (pa.float32(), float),
    "double": (pa.float64(), float),
    "boolean": (pa.bool_(), lambda text: text == "true"),
    "date": (pa.date32(), date.fromisoformat),
    # Athena prints timestamps without a zone; the lake's are UTC.
    "timestamp": (pa.timestamp("us", tz="UTC"), lambda t: datetime.fromisoformat(t + "+00:00")),
}


def _column_type(info: dict[str, Any]) -> tuple[pa.DataType, Callable[[str], object]]:
    name = str(info["Type"]).lower()
    if name == "decimal":
        return pa.decimal128(int(info["Precision"]), int(info["Scale"])), Decimal
    return _TYPES.get(name, (pa.string(), str))


def results_table(pages: Iterable[dict[str, Any]], has_header: bool) -> pa.Table:
    """The result set; a SELECT's first row repeats the column names and is dropped."""
    columns: list[dict[str, Any]] | None = None
    values: list[list[object]] = []
    for page in pages:
        result_set = page["ResultSet"]
        rows = result_set["Rows"]
        if columns is None:
            columns = result_set["ResultSetMetadata"]["ColumnInfo"]
            values = [[] for _ in columns]
            rows = rows[1:] if has_header else rows
        readers = [_column_type(info)[1] for info in columns]
        for row in rows:
            for cells, read, cell in zip(values, readers, row["Data"], strict=True):
                text = cell.get("VarCharValue")
                cells.append(None if text is None else read(text))
    if columns is None:
        return pa.table({})
    return pa.table(
        {
            info["Name"]: pa.array(cells, _column_type(info)[0])
            for info, cells in zip(columns, values, strict=True)
        }
    )

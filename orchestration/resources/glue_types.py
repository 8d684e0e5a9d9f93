"""Arrow types as Glue (Hive) column types and back, for the tables the lake holds."""

import re

import pyarrow as pa

_TO_HIVE = {
    pa.string(): "string",
    pa.large_string(): "string",
    pa.int8(): "tinyint",
    pa.int16(): "smallint",
    pa.int32(): "int",
    pa.int64(): "bigint",
    pa.float32(): "float",
    pa.float64(): "double",
    pa.bool_(): "boolean",
    pa.date32(): "date",
}
_FROM_HIVE = {hive: arrow for arrow, hive in _TO_HIVE.items() if arrow != pa.large_string()}
# The lake's timestamps are UTC microseconds (contract.CLICK_SCHEMA); Hive's have no zone.
_LAKE_TIMESTAMP = pa.timestamp("us", tz="UTC")


def hive_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_timestamp(arrow_type):
        return "timestamp"
    if pa.types.is_decimal(arrow_type):
        return f"decimal({arrow_type.precision},{arrow_type.scale})"
    if arrow_type in _TO_HIVE:
        return _TO_HIVE[arrow_type]
    raise TypeError(f"no Glue column type for Arrow type {arrow_type}")


def arrow_type(hive: str) -> pa.DataType:
    if hive == "timestamp":
        return _LAKE_TIMESTAMP
    if decimal := re.fullmatch(r"decimal\((\d+),\s*(\d+)\)", hive):
        return pa.decimal128(int(decimal[1]), int(decimal[2]))
    if hive in _FROM_HIVE:
        return _FROM_HIVE[hive]
    raise TypeError(f"no Arrow type for Glue column type {hive!r}")


def glue_columns(schema: pa.Schema) -> list[dict[str, str]]:
    return [{"Name": field.name, "Type": hive_type(field.type)} for field in schema]


def arrow_schema(columns: list[dict[str, str]]) -> pa.Schema:
    return pa.schema([pa.field(c["Name"], arrow_type(c["Type"])) for c in columns])

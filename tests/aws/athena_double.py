"""Athena's answers for moto, which records queries but does not run them.

The same summary SQL is run on DuckDB over a local lake holding the same clicks, and
each result is queued in moto's Athena in Athena's wire format (every value a string,
a header row first), so the pipeline's Athena path parses what Athena would send.
"""

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
from moto.athena.models import QueryResults, athena_backends
from moto.core.models import DEFAULT_ACCOUNT_ID

from ingest_service.contract import CLICK_SCHEMA, Click
from orchestration.assets.catalog import register_days
from orchestration.assets.summary_tables import SUMMARIES
from orchestration.resources.catalog import LocalCatalog
from orchestration.resources.duckdb_engine import DuckDBQueryEngine
from orchestration.resources.lake import CLICKS_TABLE, LocalLake
from orchestration.sql import summary_sql

_ATHENA_TYPES = {
    pa.string(): "varchar",
    pa.int64(): "bigint",
    pa.int32(): "integer",
    pa.float64(): "double",
    pa.bool_(): "boolean",
    pa.date32(): "date",
}


def local_summary_results(clicks: Sequence[Click], days: list[date], work: Path) -> list[pa.Table]:
    """Each summary's raw query result, in SUMMARIES order, from DuckDB over a local lake."""
    lake = LocalLake(root=str(work / "lake"))
    catalog = LocalCatalog(path=str(work / "catalog.sqlite3"))
    for day in days:
        rows = [
            {n: getattr(c, n) for n in CLICK_SCHEMA.names} for c in clicks if c.event_date == day
        ]
        lake.write_partition(
            CLICKS_TABLE, day, pa.Table.from_pylist(rows, CLICK_SCHEMA), CLICK_SCHEMA
        )
    catalog.ensure_table(CLICKS_TABLE, CLICK_SCHEMA, lake.table_uri(CLICKS_TABLE))
    register_days(catalog, lake, CLICKS_TABLE, days)
    engine = DuckDBQueryEngine(catalog_path=catalog.path)
    return [
        engine.query(summary_sql(s.sql_name, min(days), max(days), engine.dialect))
        for s in SUMMARIES
    ]


def queue_athena_results(tables: Sequence[pa.Table], region: str) -> None:
    """Queued in the in-process moto; moto's server takes `athena_result` over HTTP."""
    backend = athena_backends[DEFAULT_ACCOUNT_ID][region]
    for table in tables:
        backend.query_results_queue.append(QueryResults(**athena_result(table)))


def athena_result(table: pa.Table) -> dict[str, Any]:
    """One query's result as Athena sends it: every value a string, a header row first."""
    header = {"Data": [{"VarCharValue": name} for name in table.column_names]}
    rows = [header] + [
        {"Data": [_cell(value) for value in row.values()]} for row in table.to_pylist()
    ]
    columns = [{"Name": f.name, "Label": f.name, "Type": _athena_type(f)} for f in table.schema]
    return {"rows": rows, "column_info": columns}


def _athena_type(field: pa.Field) -> str:
    # DuckDB sums integers into HUGEINT (decimal 38,0 in Arrow); Trino's sum is a bigint.
    if pa.types.is_decimal(field.type) and field.type.scale == 0:
        return "bigint"
    return _ATHENA_TYPES[field.type]


def _cell(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, bool):
        return {"VarCharValue": str(value).lower()}
    return {"VarCharValue": str(value)}

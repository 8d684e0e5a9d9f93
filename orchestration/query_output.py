"""`clickstream query`: SQL over the catalog's tables, printed as a table, CSV or JSON."""

import json
import sys
from typing import TextIO

import pyarrow as pa
import pyarrow.csv as pacsv
from rich.console import Console
from rich.table import Table

from ingest_service.settings import LakeSettings
from orchestration.resources import lake_access

FORMATS = ("table", "csv", "json")


class QueryFailed(RuntimeError):
    """The engine refused the statement; the message is the engine's, in one line."""


def run_query(settings: LakeSettings, sql: str) -> pa.Table:
    engine = lake_access(settings).query_engine
    try:
        return engine.query(sql)
    except Exception as exc:  # each engine has its own errors; all end the command alike
        raise QueryFailed(str(exc).splitlines()[0]) from exc


def write_result(table: pa.Table, output_format: str, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if output_format == "csv":
        sink = pa.BufferOutputStream()
        pacsv.write_csv(table, sink)
        out.write(sink.getvalue().to_pybytes().decode())
    elif output_format == "json":
        out.write(json.dumps(table.to_pylist(), default=str, indent=2) + "\n")
    else:
        grid = Table(*table.column_names)
        for row in table.to_pylist():
            grid.add_row(*("" if value is None else str(value) for value in row.values()))
        Console(file=out, width=max(100, Console().width)).print(grid)
        out.write(f"({table.num_rows:,} rows)\n")

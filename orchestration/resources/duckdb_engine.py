"""The query engine of local mode: DuckDB over the lake's Parquet files.

Imported only when local mode is chosen: DuckDB is not in the AWS images.
"""

import contextlib
import functools
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import duckdb
import pyarrow as pa

from orchestration.resources.catalog import LocalCatalog
from orchestration.resources.lake import (
    SUMMARY_FILE,
    StagedPartition,
    fsync,
    partition_keys,
    partition_values,
)
from orchestration.resources.query_engine import QueryEngine, Unload, staged_table

# A staged day is read under this limit whatever its size: enough for DuckDB's scan
# buffers and a few million ids' hash table; the rest spills to a temporary directory.
STAGED_MEMORY_LIMIT = "256MB"


@dataclass(frozen=True, kw_only=True)
class DuckDBQueryEngine(QueryEngine):
    """An in-memory DuckDB per query, each catalog table a view over its partition files.

    The views read Parquet with hive partitioning, so a filter on year/month/day skips
    the other partitions' files without opening them.
    """

    dialect: ClassVar[str] = "duckdb"
    # The catalog's file, read afresh by each query: runs register partitions meanwhile.
    catalog_path: str

    @property
    def catalog(self) -> LocalCatalog:
        return LocalCatalog(path=self.catalog_path)

    def drop_results(self) -> None:
        pass  # results live in memory only, for the query that asked

    def query(self, sql: str) -> pa.Table:
        with self._over_tables_of([sql]) as conn:
            return conn.sql(sql).to_arrow_table()

    def unload(self, unloads: Sequence[Unload]) -> None:
        # One set of views for the batch: the catalog does not change until it is written.
        with self._over_tables_of([unload.sql for unload in unloads]) as conn:
            for unload in unloads:
                directory = Path(unload.location)
                directory.mkdir(parents=True)  # fails on a location that exists
                target = directory / SUMMARY_FILE
                conn.execute(
                    f"COPY ({unload.sql}) TO {_sql_string(str(target))}"
                    " (FORMAT parquet, COMPRESSION zstd)"
                )
                # On disk before the catalog points at it, as the lake's own writes are.
                fsync(target)

    def query_staged(self, staged: StagedPartition, schema: pa.Schema, sql: str) -> pa.Table:
        # One streaming pass over the staged file, in a database of its own: the memory
        # limit is the database's, and the dashboard's queries share the process's one.
        keys = partition_values(staged.table, staged.day)
        constants = ", ".join(f"{_sql_string(value)} AS {key}" for key, value in keys.items())
        with tempfile.TemporaryDirectory(prefix="clickstream-staged-") as spill:
            conn = duckdb.connect()
            try:
                conn.execute("SET TimeZone = 'UTC'")
                conn.execute(f"SET memory_limit = '{STAGED_MEMORY_LIMIT}'")
                conn.execute(f"SET temp_directory = {_sql_string(spill)}")
                conn.execute("SET preserve_insertion_order = false")
                conn.execute(
                    f'CREATE VIEW "{staged_table(staged.table)}" AS SELECT *, {constants}'
                    f" FROM read_parquet({_sql_string(staged.written.uri)})"
                )
                return conn.sql(sql).to_arrow_table()
            finally:
                conn.close()

    @contextlib.contextmanager
    def _over_tables_of(self, statements: Sequence[str]) -> Iterator[duckdb.DuckDBPyConnection]:
        with _cursor() as conn:
            # Hours and days of timestamps in UTC, as Athena reads them.
            conn.execute("SET TimeZone = 'UTC'")
            catalog = self.catalog
            named = set().union(*(_named_tables(sql) for sql in statements))
            # Views only for the tables the statements name: each costs a catalog read.
            for name in sorted(named & set(catalog.tables())):
                _create_view(conn, catalog, name)
            yield conn


@functools.cache
def _database() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


_cursor_lock = threading.Lock()


def _cursor() -> duckdb.DuckDBPyConnection:
    """A connection of its own to the process's one in-memory database.

    Opening a database costs more than a query of a year of daily summaries; a cursor is
    cheap, and its temporary views are its own, so concurrent queries do not meet.
    """
    with _cursor_lock:
        return _database().cursor()


def _named_tables(sql: str) -> set[str]:
    # Imported by the first query: loading the code location (each Dagster process) needs no SQL.
    import sqlglot
    from sqlglot import exp

    try:
        statements = sqlglot.parse(sql, dialect="duckdb")
    except sqlglot.errors.ParseError:
        return set()  # DuckDB itself then says what is wrong with the statement
    return {
        table.name
        for statement in statements
        if statement
        for table in statement.find_all(exp.Table)
    }


def _create_view(conn: duckdb.DuckDBPyConnection, catalog: LocalCatalog, name: str) -> None:
    """The table's partition files, with every column the catalog declares.

    Files registered with the same columns are read together: DuckDB takes the columns
    from one file and opens the others only when a query needs their rows, which keeps
    partition pruning. The groups (and partitions whose columns the catalog does not
    know, read by column name) are unioned by name with an empty table of the table's
    columns: partitions written before a contract's new (nullable) columns read them as
    NULL beside the newer ones.
    """
    keys = partition_keys(name)
    key_fields = [pa.field(key, pa.string()) for key in keys]
    empty = pa.schema([*catalog.table_schema(name), *key_fields]).empty_table()
    conn.register(f"_empty_{name}", empty)
    hive_types = "{" + ", ".join(f"'{key}': 'VARCHAR'" for key in keys) + "}"
    parts = [
        f"SELECT * FROM read_parquet([{_files(locations)}], hive_partitioning = true,"
        f" hive_types = {hive_types}, union_by_name = {str(schema is None).lower()})"
        for schema, locations in catalog.locations_by_schema(name).items()
    ]
    parts.append(f'SELECT * FROM "_empty_{name}"')
    conn.execute(f'CREATE TEMP VIEW "{name}" AS {" UNION ALL BY NAME ".join(parts)}')


def _files(locations: list[str]) -> str:
    return ", ".join(_sql_string(f"{location}/*.parquet") for location in locations)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"

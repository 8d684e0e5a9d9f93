"""Athena's UNLOAD and SELECT for moto, which records statements but runs no SQL.

While installed, each UNLOAD moto's Athena is asked to start is also done here, in
Athena's place: its SELECT is run on DuckDB over the Parquet of the Glue tables it names
(copied out of moto's S3, partition by partition, as the Glue catalog lists them), and the
result is put at the UNLOAD's location; a plain SELECT's result is given as its answer.
What this proves: the statements the pipeline sends, the locations it writes and
catalogues, and the values the same SELECT gives on DuckDB. What it cannot: that Athena
accepts the statement and its types as written.

S3 and Glue are reached through moto's backends, not the API, so the pipeline's own
requests are the only ones moto records (see bench/athena_backfill).
"""

import hashlib
import io
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import sqlglot
from moto.athena.models import AthenaBackend, QueryResults, athena_backends
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.glue.models import glue_backends
from moto.s3.models import FakeKey, s3_backends
from sqlglot import exp

from orchestration.resources.aws_clients import split_s3_uri
from orchestration.resources.catalog import LocalCatalog
from orchestration.resources.duckdb_engine import DuckDBQueryEngine
from orchestration.resources.glue_types import arrow_schema
from orchestration.resources.lake import partition_day, partition_keys
from orchestration.sql import SOURCE_DIALECT

UNLOAD = re.compile(
    r"UNLOAD \((?P<select>.*)\) TO '(?P<location>s3://[^']+/)'"
    r" WITH \(format = 'PARQUET', compression = 'ZSTD'\)",
    re.DOTALL,
)


class AthenaDouble:
    def __init__(self, work: Path, region: str) -> None:
        self.work = work
        self.region = region
        self.statements: list[str] = []
        self._catalog = _SyncedCatalog()

    def start(self, query: str, context: dict[str, Any]) -> None:
        self.statements.append(query)
        unload = UNLOAD.fullmatch(query)
        if unload is None:
            return
        bucket, prefix = split_s3_uri(unload["location"])
        if any(name.startswith(prefix) for name in _objects(bucket)):
            raise AssertionError(f"UNLOAD to a location holding data: {unload['location']}")
        select = unload["select"]
        result = self._duckdb(context["Database"], select).query(
            sqlglot.transpile(select, read=SOURCE_DIALECT, write="duckdb")[0]
        )
        if result.num_rows:  # Athena writes no file for no rows
            buffer = io.BytesIO()
            pq.write_table(result, buffer, compression="zstd")
            name = f"{prefix}{uuid.uuid4().hex}"
            s3_backends[DEFAULT_ACCOUNT_ID]["global"].put_object(bucket, name, buffer.getvalue())

    def select(self, query: str, context: dict[str, Any]) -> pa.Table | None:
        """A plain SELECT's result on DuckDB (the journey checks read the tables back)."""
        if not query.lstrip().upper().startswith("SELECT"):
            return None
        sql = sqlglot.transpile(query, read=SOURCE_DIALECT, write="duckdb")[0]
        return self._duckdb(context["Database"], query).query(sql)

    def _duckdb(self, database: str, select: str) -> DuckDBQueryEngine:
        """DuckDB over a copy of the Glue tables the SELECT names, with their partitions.

        Each object is copied once (by its ETag), and the catalog is kept from statement
        to statement, given only what changed in Glue since: a backfill's statements
        then cost each their own day, not the whole lake again each time."""
        named = {t.name for t in sqlglot.parse_one(select, read=SOURCE_DIALECT).find_all(exp.Table)}
        folders = _Folders()
        glue = glue_backends[DEFAULT_ACCOUNT_ID][self.region]
        schemas: dict[str, pa.Schema] = {}
        wanted: dict[tuple[str, date], str] = {}
        for name, table in glue.databases[database].tables.items():
            if name not in named:
                continue
            schemas[name] = arrow_schema(table.as_dict()["StorageDescriptor"]["Columns"])
            for partition in table.partitions.values():
                location = partition.partition_input["StorageDescriptor"]["Location"]
                keys = dict(zip(partition_keys(name), partition.values, strict=True))
                # DuckDB reads the partition keys from the path, as the local lake has them.
                path = "/".join(f"{k}={v}" for k, v in keys.items())
                directory = _copied(folders.of(location), self.work / name / path)
                if directory is not None:
                    wanted[name, partition_day(keys)] = str(directory)
        return self._catalog.engine(schemas, wanted, self.work)


class _SyncedCatalog:
    """A local catalog that follows Glue: the partitions that changed are registered again;
    a table that lost a partition or changed its columns starts a new catalog."""

    def __init__(self) -> None:
        self._catalog: LocalCatalog | None = None
        self._schemas: dict[str, pa.Schema] = {}
        self._partitions: dict[tuple[str, date], str] = {}

    def engine(
        self, schemas: dict[str, pa.Schema], wanted: dict[tuple[str, date], str], work: Path
    ) -> DuckDBQueryEngine:
        gone = [key for key in self._partitions if key[0] in schemas and key not in wanted]
        changed = [n for n, s in schemas.items() if n in self._schemas and s != self._schemas[n]]
        if self._catalog is None or gone or changed:
            self._catalog = LocalCatalog(path=str(work / uuid.uuid4().hex / "catalog.sqlite3"))
            self._schemas, self._partitions = {}, {}
        for name, schema in schemas.items():
            if name not in self._schemas:
                self._catalog.ensure_table(name, schema, str(work / name))
                self._schemas[name] = schema
        for (name, day), directory in wanted.items():
            if self._partitions.get((name, day)) != directory:
                self._catalog.add_partition(name, day, directory)
                self._partitions[name, day] = directory
        return DuckDBQueryEngine(catalog_path=self._catalog.path)


class _Folders:
    """The objects of each folder of the buckets asked about, listed once."""

    def __init__(self) -> None:
        self._by_bucket: dict[str, dict[str, list[FakeKey]]] = {}

    def of(self, location: str) -> list[FakeKey]:
        bucket, prefix = split_s3_uri(location.rstrip("/"))
        if bucket not in self._by_bucket:
            folders: dict[str, list[FakeKey]] = {}
            for name, key in _objects(bucket).items():
                folders.setdefault(name.rsplit("/", 1)[0], []).append(key)
            self._by_bucket[bucket] = folders
        return self._by_bucket[bucket].get(prefix, [])


def _copied(files: list[FakeKey], under: Path) -> Path | None:
    """A local directory with the files, copied once by their ETags; None for no file."""
    if not files:
        return None
    tags = hashlib.sha256("".join(sorted(key.etag for key in files)).encode())
    directory = under / tags.hexdigest()[:32]
    if not directory.exists():
        directory.mkdir(parents=True)
        for n, key in enumerate(files):
            (directory / f"{n}.parquet").write_bytes(key.value)
    return directory


def _objects(bucket: str) -> dict[str, FakeKey]:
    """The bucket's current objects (in a versioned bucket, not delete markers)."""
    found = s3_backends[DEFAULT_ACCOUNT_ID]["global"].get_bucket(bucket).keys
    return {name: key for name, key in found.items() if isinstance(key, FakeKey)}


_ATHENA_TYPES = {
    pa.string(): "varchar",
    pa.int64(): "bigint",
    pa.int32(): "integer",
    pa.float64(): "double",
    pa.bool_(): "boolean",
    pa.date32(): "date",
}


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


@contextmanager
def athena_double(work: Path, region: str) -> Iterator[AthenaDouble]:
    """Moto's Athena, doing each UNLOAD it is asked to start, for as long as the block."""
    double = AthenaDouble(work, region)
    original = AthenaBackend.start_query_execution

    def start_query_execution(backend: AthenaBackend, **request: Any) -> str:
        double.start(request["query"], request["context"])
        execution_id: str = original(backend, **request)
        selected = double.select(request["query"], request["context"])
        if selected is not None:
            backend.query_results[execution_id] = QueryResults(**athena_result(selected))
        return execution_id

    AthenaBackend.start_query_execution = start_query_execution  # type: ignore[method-assign,assignment]
    try:
        yield double
    finally:
        AthenaBackend.start_query_execution = original  # type: ignore[method-assign]

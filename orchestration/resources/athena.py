"""SQL on Athena over the Glue catalog's tables: the query engine of aws mode.

dagster-aws's Athena resource has no region and no output location setting, hence this
thin one. Queries are started in the configured workgroup and polled with backoff until
they end or outlive their deadline (counted from each one's start); a query that fails,
is cancelled or outlives it raises with its id and Athena's own reason, and the queries
still running beside it are stopped.

Tables built by SQL are written by Athena itself with `UNLOAD ... TO` a location, as
Parquet, rather than read back through GetQueryResults (1,000 rows a page) and written
here. UNLOAD over CTAS or INSERT INTO: it needs no table of its own (CTAS creates one a
statement) and writes to any empty prefix, so the caller decides where a partition goes
(a new location, catalogued only when written) and the Glue tables stay as they are.

A staged partition (the export's audit) is read through a staging table of its own in
the Glue database (`clicks_staged`, located under the lake's `_staging/` prefix), never
through the published table: readers of `clicks` cannot see a day before it passed its
checks, and the staged day is counted by Athena, not downloaded. Its partition exists for
the query only: added before it, dropped after it, however it ends; one left by a killed
process is re-pointed and dropped by the next audit of that day.
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import pyarrow as pa

from orchestration.resources.athena_results import results_table
from orchestration.resources.aws_clients import aws_client, split_s3_uri
from orchestration.resources.glue_catalog import GlueCatalog
from orchestration.resources.lake import StagedPartition, location_of, partition_keys
from orchestration.resources.query_engine import QueryEngine, Unload, staged_table
from orchestration.resources.s3_lake import delete_versions

_DONE = frozenset({"SUCCEEDED", "FAILED", "CANCELLED"})


class AthenaQueryFailed(RuntimeError):
    """Athena ended a query without a result, or it ran past the deadline."""


def unload_statement(unload: Unload) -> str:
    location = unload.location.rstrip("/") + "/"
    return f"UNLOAD ({unload.sql}) TO '{location}' WITH (format = 'PARQUET', compression = 'ZSTD')"


@dataclass(frozen=True, kw_only=True)
class AthenaQueryEngine(QueryEngine):
    dialect: ClassVar[str] = "athena"
    database: str
    workgroup: str
    output_location: str
    first_poll_s: float = 0.2
    max_poll_s: float = 5.0
    # A day's summary takes seconds; a query still running after this is stuck or runaway.
    deadline_s: float = 1800.0
    # Below Athena's default quota of concurrent DML queries per account (20 to 25).
    max_in_flight: int = 10

    def query(self, sql: str) -> pa.Table:
        athena = aws_client("athena")
        (execution,) = self._run(athena, [sql])
        pages = athena.get_paginator("get_query_results").paginate(
            QueryExecutionId=execution["QueryExecutionId"]
        )
        return results_table(pages, has_header=execution.get("StatementType") == "DML")

    def unload(self, unloads: Sequence[Unload]) -> None:
        self._run(aws_client("athena"), [unload_statement(unload) for unload in unloads])

    def query_staged(self, staged: StagedPartition, schema: pa.Schema, sql: str) -> pa.Table:
        name = staged_table(staged.table)
        partition = location_of(staged.written.uri)
        # The table's own location: the partition's, less its year=/month=/day= folders.
        table = partition.rsplit("/", len(partition_keys(name)))[0]
        catalog = GlueCatalog(database=self.database)
        catalog.ensure_table(name, schema, table)
        catalog.add_partition(name, staged.day, partition)
        try:
            return self.query(sql)
        finally:
            catalog.drop_partition(name, staged.day)

    def _run(self, athena: Any, statements: Sequence[str]) -> list[dict[str, Any]]:
        """Runs the statements, up to `max_in_flight` at a time, each started as soon as
        a slot is free; their executions, in order. On the first that fails, is cancelled
        or outlives the deadline, stops the others still running and raises."""
        waiting = list(enumerate(statements))
        running: dict[str, tuple[int, float]] = {}  # id -> (index, deadline)
        done: dict[int, dict[str, Any]] = {}
        pause = self.first_poll_s
        try:
            while waiting or running:
                while waiting and len(running) < self.max_in_flight:
                    index, sql = waiting.pop(0)
                    started = self._start(athena, sql)
                    running[started] = (index, time.monotonic() + self.deadline_s)
                for execution_id, (index, _) in list(running.items()):
                    execution = _execution(athena, execution_id)
                    if execution["Status"]["State"] in _DONE:
                        del running[execution_id]
                        done[index] = execution
                        self._raise_unless_succeeded(execution)
                        pause = self.first_poll_s  # a slot is free: the next starts soon
                late = [i for i, (_, deadline) in running.items() if time.monotonic() >= deadline]
                if late:
                    raise AthenaQueryFailed(
                        f"Athena query {', '.join(late)} still running after "
                        f"{self.deadline_s:.0f} s in workgroup {self.workgroup}: stopped"
                    )
                if running:
                    time.sleep(pause)
                    pause = min(pause * 2, self.max_poll_s)
        except AthenaQueryFailed:
            for execution_id in running:
                athena.stop_query_execution(QueryExecutionId=execution_id)
            raise
        return [done[index] for index in range(len(statements))]

    def _start(self, athena: Any, sql: str) -> str:
        execution_id: str = athena.start_query_execution(
            QueryString=sql,
            QueryExecutionContext={"Database": self.database},
            WorkGroup=self.workgroup,
            ResultConfiguration={"OutputLocation": self.output_location},
        )["QueryExecutionId"]
        return execution_id

    def drop_results(self) -> None:
        # Athena keeps every result as files under the output location, versions included
        # where the bucket is versioned.
        bucket, prefix = split_s3_uri(self.output_location)
        delete_versions(bucket, prefix, keep_current=False)

    def _raise_unless_succeeded(self, execution: dict[str, Any]) -> None:
        status = execution["Status"]
        if status["State"] == "SUCCEEDED":
            return
        reason = status.get("StateChangeReason", "no reason given")
        raise AthenaQueryFailed(
            f"Athena query {execution['QueryExecutionId']} {status['State']} in workgroup "
            f"{self.workgroup}: {reason}\n{execution.get('Query', '')}"
        )


def _execution(athena: Any, execution_id: str) -> dict[str, Any]:
    execution: dict[str, Any] = athena.get_query_execution(QueryExecutionId=execution_id)[
        "QueryExecution"
    ]
    return execution

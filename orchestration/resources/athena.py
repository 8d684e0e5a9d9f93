"""SQL on Athena over the Glue catalog's tables: the query engine of aws mode.

dagster-aws's Athena resource has no region and no output location setting, hence this
thin one. A query is started in the configured workgroup, polled with backoff until it
ends, and its result read page by page; a failed query raises with Athena's own reason.
"""

import time
from dataclasses import dataclass
from typing import Any, ClassVar

import pyarrow as pa

from orchestration.resources.athena_results import results_table
from orchestration.resources.aws_clients import aws_client, split_s3_uri
from orchestration.resources.query_engine import QueryEngine
from orchestration.resources.s3_lake import delete_versions

_DONE = frozenset({"SUCCEEDED", "FAILED", "CANCELLED"})


class AthenaQueryFailed(RuntimeError):
    """Athena ended the query without a result; the message carries its reason."""


@dataclass(frozen=True, kw_only=True)
class AthenaQueryEngine(QueryEngine):
    dialect: ClassVar[str] = "athena"
    database: str
    workgroup: str
    output_location: str
    first_poll_s: float = 0.2
    max_poll_s: float = 5.0

    def query(self, sql: str) -> pa.Table:
        athena = aws_client("athena")
        execution_id = athena.start_query_execution(
            QueryString=sql,
            QueryExecutionContext={"Database": self.database},
            WorkGroup=self.workgroup,
            ResultConfiguration={"OutputLocation": self.output_location},
        )["QueryExecutionId"]
        execution = self._wait(athena, execution_id)
        status = execution["Status"]
        if status["State"] != "SUCCEEDED":
            reason = status.get("StateChangeReason", "no reason given")
            raise AthenaQueryFailed(
                f"Athena query {execution_id} {status['State']} in workgroup "
                f"{self.workgroup}: {reason}\n{sql}"
            )
        pages = athena.get_paginator("get_query_results").paginate(QueryExecutionId=execution_id)
        return results_table(pages, has_header=execution.get("StatementType") == "DML")

    def drop_results(self) -> None:
        # Athena keeps every result as files under the output location, versions included
        # where the bucket is versioned.
        bucket, prefix = split_s3_uri(self.output_location)
        delete_versions(bucket, prefix, keep_current=False)

    def _wait(self, athena: Any, execution_id: str) -> dict[str, Any]:
        pause = self.first_poll_s
        while True:
            execution: dict[str, Any] = athena.get_query_execution(QueryExecutionId=execution_id)[
                "QueryExecution"
            ]
            if execution["Status"]["State"] in _DONE:
                return execution
            time.sleep(pause)
            pause = min(pause * 2, self.max_poll_s)

"""SQL over the catalog's tables: DuckDB over the lake here, Athena in aws mode.

`QueryEngine.query` takes SQL in the engine's own dialect (`dialect`, a sqlglot dialect
name); SQL written once in Athena's dialect is transpiled to it by the caller.
`QueryEngine.unload` has the engine itself write a SELECT's result as Parquet, so the rows
of a table built by SQL never pass through this process. `QueryEngine.query_staged` runs
SQL over one staged partition, which no reader of the published tables can see: how the
export's audit counts a day with the engine, whatever the day's size.
"""

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import pyarrow as pa

from orchestration.resources.lake import StagedPartition

STAGED_SUFFIX = "_staged"


def staged_table(table: str) -> str:
    """The name a table's written but unpublished partitions are read by, never by a
    reader of the table: the export's audit (`query_staged`: `clicks_staged`) and the
    journey tables' (assets/summary_tables.py)."""
    return f"{table}{STAGED_SUFFIX}"


@dataclass(frozen=True)
class Unload:
    """A SELECT, in the engine's dialect, and the empty location its result goes to."""

    sql: str
    location: str


class QueryEngine(abc.ABC):
    """Runs SQL where each catalog table is a relation with its partition key columns."""

    dialect: ClassVar[str]

    @abc.abstractmethod
    def query(self, sql: str) -> pa.Table:
        """The result of one statement, in the engine's dialect, as an Arrow table."""

    @abc.abstractmethod
    def drop_results(self) -> None:
        """Deletes the results of past queries the engine keeps (an erase's figures are
        in them)."""

    @abc.abstractmethod
    def unload(self, unloads: Sequence[Unload]) -> None:
        """Writes each SELECT's result as zstd Parquet under its location, which must be
        empty (Athena's UNLOAD refuses a location holding data). All of them, or an error."""

    @abc.abstractmethod
    def query_staged(self, staged: StagedPartition, schema: pa.Schema, sql: str) -> pa.Table:
        """The result of one statement, in the engine's dialect, over the staged partition
        alone as the table `staged_table(staged.table)`, with its partition key columns.
        `schema`: the staged file's columns. Memory stays bounded whatever the file's size."""

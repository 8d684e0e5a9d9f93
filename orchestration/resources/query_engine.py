"""SQL over the catalog's tables: DuckDB over the lake here, Athena in aws mode.

`QueryEngine.query` takes SQL in the engine's own dialect (`dialect`, a sqlglot dialect
name); SQL written once in Athena's dialect is transpiled to it by the caller.
"""

import abc
from typing import ClassVar

import pyarrow as pa


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

"""What a summary table is: its name, its columns, and what its SQL reads."""

from dataclasses import dataclass

import pyarrow as pa

# The summaries' Arrow types as Athena's SQL names them. The lake's times are UTC; Athena
# names them without a zone, as Glue does (its UNLOAD writes no `timestamp with time zone`).
_SQL_TYPES = {
    pa.string(): "varchar",
    pa.int64(): "bigint",
    pa.float64(): "double",
    pa.date32(): "date",
    pa.bool_(): "boolean",
    pa.timestamp("us", tz="UTC"): "timestamp",
}


@dataclass(frozen=True)
class Summary:
    name: str
    description: str
    schema: pa.Schema
    # Read from these summary tables (published first in a run) rather than from clicks.
    reads: tuple[str, ...] = ()
    # Counted per session on the day it started: a run also rewrites the day before its
    # first, whose sessions may have gone on past midnight into the days now exported.
    per_session: bool = False

    def columns(self) -> list[tuple[str, str]]:
        """(name, SQL type) of each column, in order."""
        return [(field.name, _SQL_TYPES[field.type]) for field in self.schema]

"""The catalog: which tables the lake holds, their columns, and their daily partitions.

`Catalog` is the interface (Glue's role); `LocalCatalog` keeps it in a SQLite file under
the data dir, so several run processes can register partitions at the same time.
"""

import abc
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa

_DDL = """
CREATE TABLE IF NOT EXISTS tables (
    name TEXT PRIMARY KEY,
    location TEXT NOT NULL,
    schema BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS partitions (
    table_name TEXT NOT NULL REFERENCES tables (name),
    day TEXT NOT NULL,
    location TEXT NOT NULL,
    PRIMARY KEY (table_name, day)
);
"""
# As a Glue partition, each partition keeps the table's columns when it was registered:
# a reader then knows which files lack columns added since without opening them.
# Catalogs made before it get the column, NULL for their partitions (columns unknown).
_PARTITION_SCHEMA = "ALTER TABLE partitions ADD COLUMN schema BLOB"


class UnknownTable(KeyError):
    """The catalog has no table of that name."""


class Catalog(abc.ABC):
    """Tables over lake locations, partitioned by day (string keys year, month, day) or,
    the compacted ones, by month (year, month); a month partition goes by its first day."""

    @abc.abstractmethod
    def ensure_table(self, name: str, schema: pa.Schema, location: str) -> None:
        """Creates the table, or updates its columns and location; safe to run again."""

    @abc.abstractmethod
    def add_partition(self, name: str, day: date, location: str) -> None:
        """Registers (or re-points) the day's partition at `location`, a directory/prefix."""

    @abc.abstractmethod
    def drop_table(self, name: str) -> None:
        """Removes the table and its partitions from the catalog (not their files); no
        table of that name is fine."""

    @abc.abstractmethod
    def partitions(self, name: str) -> dict[date, str]:
        """The table's partitions: day -> location, in day order."""

    @abc.abstractmethod
    def tables(self) -> list[str]:
        """The names of the catalog's tables, sorted."""

    @abc.abstractmethod
    def table_schema(self, name: str) -> pa.Schema:
        """The table's columns, without the partition keys. Raises UnknownTable."""


@dataclass(frozen=True, kw_only=True)
class LocalCatalog(Catalog):
    path: str

    def ensure_table(self, name: str, schema: pa.Schema, location: str) -> None:
        with self._connection() as conn:
            conn.execute(
                "INSERT INTO tables VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE"
                " SET location = excluded.location, schema = excluded.schema",
                (name, location, schema.serialize().to_pybytes()),
            )

    def add_partition(self, name: str, day: date, location: str) -> None:
        with self._connection() as conn:
            self._require(conn, name)
            conn.execute(
                "INSERT INTO partitions (table_name, day, location, schema)"
                " SELECT ?, ?, ?, schema FROM tables WHERE name = ?"
                " ON CONFLICT (table_name, day)"
                " DO UPDATE SET location = excluded.location, schema = excluded.schema",
                (name, day.isoformat(), location, name),
            )

    def drop_table(self, name: str) -> None:
        with self._connection() as conn:
            conn.execute("DELETE FROM partitions WHERE table_name = ?", (name,))
            conn.execute("DELETE FROM tables WHERE name = ?", (name,))

    def partitions(self, name: str) -> dict[date, str]:
        with self._connection() as conn:
            self._require(conn, name)
            rows = conn.execute(
                "SELECT day, location FROM partitions WHERE table_name = ? ORDER BY day", (name,)
            ).fetchall()
        return {date.fromisoformat(day): location for day, location in rows}

    def locations_by_schema(self, name: str) -> dict[bytes | None, list[str]]:
        """The partitions' locations grouped by the columns they were registered with
        (serialized Arrow schemas; None: registered before the catalog kept them)."""
        with self._connection() as conn:
            self._require(conn, name)
            rows = conn.execute(
                "SELECT schema, location FROM partitions WHERE table_name = ? ORDER BY day",
                (name,),
            ).fetchall()
        groups: dict[bytes | None, list[str]] = {}
        for schema, location in rows:
            groups.setdefault(None if schema is None else bytes(schema), []).append(location)
        return groups

    def tables(self) -> list[str]:
        with self._connection() as conn:
            return [name for (name,) in conn.execute("SELECT name FROM tables ORDER BY name")]

    def table_schema(self, name: str) -> pa.Schema:
        with self._connection() as conn:
            blob = self._require(conn, name)
        return pa.ipc.read_schema(pa.py_buffer(blob))

    @staticmethod
    def _require(conn: sqlite3.Connection, name: str) -> bytes:
        row = conn.execute("SELECT schema FROM tables WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise UnknownTable(name)
        return bytes(row[0])

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30.0)) as conn:
            # The catalog can be rebuilt by re-running the pipeline, so a commit need not
            # wait for the disk: a year's backfill registers thousands of partitions.
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_DDL)
            columns = {row[1] for row in conn.execute("PRAGMA table_info(partitions)")}
            if "schema" not in columns:
                conn.execute(_PARTITION_SCHEMA)
            with conn:
                yield conn

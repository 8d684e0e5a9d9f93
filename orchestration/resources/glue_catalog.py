"""The catalog on the Glue Data Catalog: tables over the S3 lake, partitions added by API.

Partitions are registered directly (create, or update when the day is there already),
so no crawler is needed to see a new day; a configured crawler can still be started
after each new partition, for teams that rely on one.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa
from botocore.exceptions import ClientError

from orchestration.resources.aws_clients import aws_client
from orchestration.resources.catalog import Catalog, UnknownTable
from orchestration.resources.glue_types import arrow_schema, glue_columns
from orchestration.resources.lake import partition_day, partition_keys, partition_values

_PARQUET = {
    "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    "SerdeInfo": {
        "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    },
}


@dataclass(frozen=True, kw_only=True)
class GlueCatalog(Catalog):
    database: str
    crawler: str | None = None

    def ensure_table(self, name: str, schema: pa.Schema, location: str) -> None:
        glue = aws_client("glue")
        _ignore(
            "AlreadyExistsException", glue.create_database, DatabaseInput={"Name": self.database}
        )
        table = _table_input(name, schema, location)
        try:
            glue.create_table(DatabaseName=self.database, TableInput=table)
        except ClientError as exc:
            if _code(exc) != "AlreadyExistsException":
                raise
            glue.update_table(DatabaseName=self.database, TableInput=table)

    def add_partition(self, name: str, day: date, location: str) -> None:
        glue = aws_client("glue")
        storage = self._table(glue, name)["StorageDescriptor"]
        values = list(partition_values(name, day).values())
        partition = {
            "Values": values,
            "StorageDescriptor": {**storage, "Location": _directory(location)},
        }
        try:
            glue.create_partition(
                DatabaseName=self.database, TableName=name, PartitionInput=partition
            )
        except ClientError as exc:
            if _code(exc) != "AlreadyExistsException":
                raise
            glue.update_partition(
                DatabaseName=self.database,
                TableName=name,
                PartitionValueList=values,
                PartitionInput=partition,
            )
        if self.crawler:
            _ignore("CrawlerRunningException", glue.start_crawler, Name=self.crawler)

    def drop_partition(self, name: str, day: date) -> None:
        """Removes the day's partition from the table; nothing happens when there is none."""
        values = list(partition_values(name, day).values())
        _ignore(
            "EntityNotFoundException",
            aws_client("glue").delete_partition,
            DatabaseName=self.database,
            TableName=name,
            PartitionValues=values,
        )

    def drop_table(self, name: str) -> None:
        # Glue deletes the table's partitions with it.
        glue = aws_client("glue")
        _ignore("EntityNotFoundException", glue.delete_table, DatabaseName=self.database, Name=name)

    def partitions(self, name: str) -> dict[date, str]:
        glue = aws_client("glue")
        self._table(glue, name)
        pages = glue.get_paginator("get_partitions").paginate(
            DatabaseName=self.database, TableName=name
        )
        keys = partition_keys(name)
        found = {
            partition_day(dict(zip(keys, partition["Values"], strict=True))): partition[
                "StorageDescriptor"
            ]["Location"].rstrip("/")
            for page in pages
            for partition in page["Partitions"]
        }
        return dict(sorted(found.items()))

    def tables(self) -> list[str]:
        glue = aws_client("glue")
        try:
            pages = list(glue.get_paginator("get_tables").paginate(DatabaseName=self.database))
        except ClientError as exc:
            if _code(exc) == "EntityNotFoundException":
                return []
            raise
        return sorted(table["Name"] for page in pages for table in page["TableList"])

    def table_schema(self, name: str) -> pa.Schema:
        columns = self._table(aws_client("glue"), name)["StorageDescriptor"]["Columns"]
        return arrow_schema(columns)

    def _table(self, glue: Any, name: str) -> dict[str, Any]:
        try:
            table: dict[str, Any] = glue.get_table(DatabaseName=self.database, Name=name)["Table"]
        except ClientError as exc:
            if _code(exc) == "EntityNotFoundException":
                raise UnknownTable(name) from None
            raise
        return table


def _table_input(name: str, schema: pa.Schema, location: str) -> dict[str, Any]:
    return {
        "Name": name,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": {"classification": "parquet", "EXTERNAL": "TRUE"},
        "PartitionKeys": [{"Name": key, "Type": "string"} for key in partition_keys(name)],
        "StorageDescriptor": {
            "Columns": glue_columns(schema),
            "Location": _directory(location),
            **_PARQUET,
        },
    }


def _directory(location: str) -> str:
    # With the slash, Athena reads `day=01/` only, not every key starting `day=01`.
    return location.rstrip("/") + "/"


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _ignore(code: str, operation: Any, **params: Any) -> None:
    try:
        operation(**params)
    except ClientError as exc:
        if _code(exc) != code:
            raise

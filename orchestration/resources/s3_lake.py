"""The lake on S3, in the local lake's layout: `<root>/<table>/year=/month=/day=/<file>`.

A partition is one object at a fixed key. It is staged whole under `<root>/_staging/`
(written to a local temporary file, then uploaded), and published by a server-side copy
to its key, so readers see the old object or the new one, never a part (a PUT, a copy and
a completed multipart upload are all atomic). Any other object under the partition's
prefix is then deleted, so a re-run leaves nothing stale behind. The audit (of a staged
object) and the regions' places (of a published one) read parts of an object in place,
each read one ranged GET, never the whole object.
"""

import io
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from botocore.exceptions import ClientError

from orchestration.resources.aws_clients import aws_client, split_s3_uri
from orchestration.resources.lake import (
    CHANGE_MARKER,
    Lake,
    Rows,
    StagedPartition,
    WrittenPartition,
    file_name,
    partition_day,
    partition_keys,
    partition_path,
    staging_path,
    table_path,
    write_parquet,
)


@dataclass(frozen=True, kw_only=True)
class S3Lake(Lake):
    root: str

    def table_uri(self, table: str) -> str:
        return f"{self.root.rstrip('/')}/{table_path(table)}"

    def partition_uri(self, table: str, day: date) -> str:
        return f"{self.root.rstrip('/')}/{partition_path(table, day)}/{file_name(table)}"

    def staging_uri(self, table: str, day: date) -> str:
        return f"{self.root.rstrip('/')}/{staging_path(table, day)}"

    def stage_partition(
        self, table: str, day: date, rows: Rows, schema: pa.Schema
    ) -> StagedPartition:
        self.discard_staged(table, day)
        uri = f"{self.staging_uri(table, day)}/{file_name(table)}"
        bucket, key = split_s3_uri(uri)
        s3 = aws_client("s3")
        with tempfile.NamedTemporaryFile(suffix=".parquet") as local:
            count = write_parquet(local.name, rows, schema)
            s3.upload_file(local.name, bucket, key)
        size = s3.head_object(Bucket=bucket, Key=key)["ContentLength"]
        written = WrittenPartition(rows=count, bytes=int(size), uri=uri)
        return StagedPartition(table=table, day=day, written=written)

    def publish(self, staged: StagedPartition) -> WrittenPartition:
        uri = self.partition_uri(staged.table, staged.day)
        bucket, key = split_s3_uri(uri)
        source_bucket, source_key = split_s3_uri(staged.written.uri)
        s3 = aws_client("s3")
        # The managed copy switches to a multipart copy past 5 GB, where CopyObject stops.
        s3.copy({"Bucket": source_bucket, "Key": source_key}, bucket, key)
        _delete_keys(s3, bucket, _keys_under(s3, bucket, _directory(key)) - {key})
        self.discard_staged(staged.table, staged.day)
        return WrittenPartition(rows=staged.written.rows, bytes=staged.written.bytes, uri=uri)

    def discard_staged(self, table: str, day: date) -> None:
        # Every version, not only the current objects: in a versioned bucket a staged
        # copy must not outlive its day as a noncurrent version (an erase relies on it).
        bucket, prefix = split_s3_uri(self.staging_uri(table, day))
        delete_versions(bucket, prefix + "/", keep_current=False)

    @contextmanager
    def staged_file(self, staged: StagedPartition) -> Iterator[pa.NativeFile]:
        bucket, key = split_s3_uri(staged.written.uri)
        ranged = RangedObject(aws_client("s3"), bucket, key, staged.written.bytes)
        with pa.PythonFile(ranged, mode="r") as file:
            yield file

    def read_partition(self, table: str, day: date) -> pa.Table:
        bucket, key = split_s3_uri(self.partition_uri(table, day))
        body = aws_client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
        return pq.read_table(pa.BufferReader(body), partitioning=None)

    def read_columns(
        self, table: str, day: date, columns: Sequence[str]
    ) -> Iterator[pa.RecordBatch]:
        bucket, key = split_s3_uri(self.partition_uri(table, day))
        s3 = aws_client("s3")
        size = int(s3.head_object(Bucket=bucket, Key=key)["ContentLength"])
        with pa.PythonFile(RangedObject(s3, bucket, key, size), mode="r") as file:
            yield from pq.ParquetFile(file).iter_batches(columns=columns)

    def delete_partition(self, table: str, day: date) -> None:
        bucket, key = split_s3_uri(self.partition_uri(table, day))
        s3 = aws_client("s3")
        _delete_keys(s3, bucket, _keys_under(s3, bucket, _directory(key)))

    def partition_days(self, table: str) -> list[date]:
        bucket, prefix = split_s3_uri(self.table_uri(table))
        suffix = "/" + file_name(table)
        keys = _keys_under(aws_client("s3"), bucket, prefix + "/")
        return sorted(_day_of(table, key) for key in keys if key.endswith(suffix))

    def drop_old_versions(self, table: str, day: date) -> int:
        bucket, key = split_s3_uri(self.partition_uri(table, day))
        return delete_versions(bucket, _directory(key), keep_current=True)

    def mark_changed(self) -> None:
        bucket, key = split_s3_uri(f"{self.root.rstrip('/')}/{CHANGE_MARKER}")
        aws_client("s3").put_object(Bucket=bucket, Key=key, Body=uuid.uuid4().hex.encode())

    def change_mark(self) -> str:
        bucket, key = split_s3_uri(f"{self.root.rstrip('/')}/{CHANGE_MARKER}")
        try:
            return str(aws_client("s3").head_object(Bucket=bucket, Key=key)["ETag"])
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                return ""
            raise

    def new_location(self, table: str, day: date) -> str:
        return f"{self.root.rstrip('/')}/{partition_path(table, day)}/{uuid.uuid4().hex}"

    def retire(self, table: str, day: date, keep: str) -> None:
        bucket, prefix = split_s3_uri(f"{self.root.rstrip('/')}/{partition_path(table, day)}/")
        _, kept = split_s3_uri(keep.rstrip("/") + "/")
        s3 = aws_client("s3")
        stale = {key for key in _keys_under(s3, bucket, prefix) if not key.startswith(kept)}
        _delete_keys(s3, bucket, stale)


class RangedObject(io.RawIOBase):
    """An S3 object read in place: each read is one ranged GET of the bytes asked for,
    so a Parquet reader fetches the footer and the row groups it reads, nothing else."""

    def __init__(self, s3: Any, bucket: str, key: str, size: int) -> None:
        super().__init__()
        self._s3, self._bucket, self._key, self._size = s3, bucket, key, size
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        end = min(self._position + len(view), self._size)
        if end <= self._position:
            return 0
        body = self._s3.get_object(
            Bucket=self._bucket, Key=self._key, Range=f"bytes={self._position}-{end - 1}"
        )["Body"].read()
        view[: len(body)] = body
        self._position += len(body)
        return len(body)


def delete_versions(bucket: str, prefix: str, *, keep_current: bool) -> int:
    """Deletes the versions (and delete markers) of every object under the prefix, all
    of them or all but the current ones; returns how many were deleted."""
    s3 = aws_client("s3")
    pages = s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix)
    doomed = [
        {"Key": version["Key"], "VersionId": version["VersionId"]}
        for page in pages
        for kind in ("Versions", "DeleteMarkers")
        for version in page.get(kind, [])
        # A current delete marker hides nothing once the versions under it are gone.
        if not (keep_current and kind == "Versions" and version["IsLatest"])
    ]
    # DeleteObjects takes at most 1,000 keys a call.
    for start in range(0, len(doomed), 1000):
        s3.delete_objects(
            Bucket=bucket, Delete={"Objects": doomed[start : start + 1000], "Quiet": True}
        )
    return len(doomed)


def _directory(key: str) -> str:
    return key.rsplit("/", 1)[0] + "/"


def _keys_under(s3: Any, bucket: str, prefix: str) -> set[str]:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


def _delete_keys(s3: Any, bucket: str, keys: set[str]) -> None:
    ordered = sorted(keys)
    # DeleteObjects takes at most 1,000 keys a call.
    for start in range(0, len(ordered), 1000):
        objects = [{"Key": key} for key in ordered[start : start + 1000]]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})


def _day_of(table: str, key: str) -> date:
    depth = len(partition_keys(table))
    return partition_day(dict(part.split("=", 1) for part in key.split("/")[-depth - 1 : -1]))

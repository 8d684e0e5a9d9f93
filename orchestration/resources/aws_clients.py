"""boto3 clients for the AWS resources: region and credentials from boto3's own chain.

`AWS_ENDPOINT_URL` (read by boto3 itself) points every client at another endpoint.
Resources are frozen config objects, so they ask for a client per use; the clients come
from one session per process, which loads the service models once (a new session per
client re-reads them every time). Sessions are not thread-safe: creation is serialized.
"""

import threading
from functools import cache
from typing import Any

from botocore.exceptions import NoRegionError

from ingest_service.settings import SettingsError
from ingest_service.store.aws_session import aws_session

_creating = threading.Lock()


@cache
def _session() -> Any:
    return aws_session()


def aws_client(service: str) -> Any:
    try:
        with _creating:
            return _session().client(service)
    except NoRegionError:
        raise SettingsError(
            f"AWS_REGION: no AWS region configured for {service} (set AWS_REGION or a profile)"
        ) from None


def split_s3_uri(uri: str) -> tuple[str, str]:
    """("bucket", "key/prefix") of "s3://bucket/key/prefix"."""
    if not uri.startswith("s3://"):
        raise ValueError(f"expected an s3:// URI, got {uri!r}")
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key

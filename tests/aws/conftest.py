"""AWS-mode fixtures: every test here runs inside moto's mock_aws with fake credentials."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from ingest_service.settings import PipelineSettings
from ingest_service.store.dynamodb import DynamoDBClickStore
from ingest_service.store.dynamodb_retry import Backoff
from orchestration.resources import s3_lake
from tests.aws.hooks import ObjectReads

REGION = "eu-west-1"
TABLE = "clickstream-clicks-test"
LAKE_BUCKET = "clickstream-lake-test"
# Retries in tests: the same code path, without real waiting.
QUICK_BACKOFF = Backoff(max_attempts=4, base_s=0.001, cap_s=0.01)


@pytest.fixture(autouse=True)
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_REGION", REGION)
    with mock_aws():
        yield


@pytest.fixture
def dynamodb_store() -> Iterator[DynamoDBClickStore]:
    store = DynamoDBClickStore(TABLE, retention_days=30, backoff=QUICK_BACKOFF)
    store.setup()
    yield store
    store.close()


@pytest.fixture
def s3_reads(monkeypatch: pytest.MonkeyPatch) -> ObjectReads:
    """Every GetObject the S3 lake makes, with the range it asks for."""
    client = boto3.client("s3")
    monkeypatch.setattr(s3_lake, "aws_client", lambda service: client)
    return ObjectReads(client)


@pytest.fixture
def aws_settings(tmp_path: Path) -> PipelineSettings:
    """aws-mode settings over a bucket, a topic and a queue created in moto."""
    boto3.client("s3").create_bucket(
        Bucket=LAKE_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    topic = boto3.client("sns").create_topic(Name="clickstream-alerts")["TopicArn"]
    queue = boto3.client("sqs").create_queue(QueueName="clickstream-trigger")["QueueUrl"]
    return PipelineSettings(
        env="aws",
        data_dir=tmp_path / "data",
        dynamodb_table=TABLE,
        lake_uri=f"s3://{LAKE_BUCKET}/lake",
        glue_database="clickstream_test",
        athena_workgroup="primary",
        athena_output=f"s3://{LAKE_BUCKET}/athena-results/",
        alert_topic_arn=topic,
        trigger_queue_url=queue,
        start_date=date(2026, 1, 1),
    )


def subscribed_inbox(topic_arn: str) -> str:
    """An SQS queue subscribed to the topic: what on-call would receive, readable in a test."""
    sqs = boto3.client("sqs")
    inbox: str = sqs.create_queue(QueueName="on-call")["QueueUrl"]
    inbox_arn = sqs.get_queue_attributes(QueueUrl=inbox, AttributeNames=["QueueArn"])
    boto3.client("sns").subscribe(
        TopicArn=topic_arn, Protocol="sqs", Endpoint=inbox_arn["Attributes"]["QueueArn"]
    )
    return inbox

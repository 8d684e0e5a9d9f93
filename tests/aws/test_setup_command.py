"""`clickstream setup` in aws mode: the DynamoDB table and the Glue table; safe to rerun."""

import boto3
import pytest

from ingest_service.settings import PipelineSettings
from orchestration.cli import main
from tests.aws.conftest import LAKE_BUCKET, TABLE


def test_setup_creates_the_table_and_the_glue_table_twice_over(
    aws_settings: PipelineSettings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert aws_settings.athena_output is not None
    assert aws_settings.alert_topic_arn is not None
    for name, value in {
        "CLICKSTREAM_ENV": "aws",
        "CLICKSTREAM_DATA_DIR": str(aws_settings.data_dir),
        "CLICKSTREAM_DYNAMODB_TABLE": TABLE,
        "CLICKSTREAM_LAKE_URI": aws_settings.lake_uri,
        "CLICKSTREAM_GLUE_DATABASE": aws_settings.glue_database,
        "CLICKSTREAM_ATHENA_OUTPUT": aws_settings.athena_output,
        "CLICKSTREAM_ALERT_TOPIC_ARN": aws_settings.alert_topic_arn,
    }.items():
        monkeypatch.setenv(name, value)

    assert main(["setup"]) == 0
    assert main(["setup"]) == 0

    assert boto3.client("dynamodb").describe_table(TableName=TABLE)["Table"]["TableName"] == TABLE
    table = boto3.client("glue").get_table(DatabaseName=aws_settings.glue_database, Name="clicks")
    location = table["Table"]["StorageDescriptor"]["Location"]
    assert location == f"s3://{LAKE_BUCKET}/lake/clicks/"
    assert "catalog table clicks ready" in capsys.readouterr().out

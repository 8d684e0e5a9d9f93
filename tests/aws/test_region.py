import pytest

from ingest_service.store.aws_session import aws_session


def test_aws_region_names_the_region_as_aws_default_region_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_REGION", "ap-southeast-2")
    assert aws_session().region_name == "ap-southeast-2"

    monkeypatch.delenv("AWS_REGION")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    assert aws_session().region_name == "eu-central-1"

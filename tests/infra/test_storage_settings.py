"""What moto does not model of the stored data: bucket protections, table recovery and
expiry, the Athena limits, and the Glue table against what the pipeline's catalog writes."""

import pytest

from ingest_service.contract import CLICK_SCHEMA
from orchestration.resources.glue_types import glue_columns
from orchestration.resources.lake import DAY_PARTITION_KEYS
from tests.infra.cfn import TEMPLATE_DIR, load, resources_of, templates

BUCKETS = [
    (template_name, bucket_name)
    for template_name, template in templates().items()
    for bucket_name in resources_of(template, "AWS::S3::Bucket")
]


def test_the_glue_table_is_the_one_the_catalog_step_writes() -> None:
    table = load(TEMPLATE_DIR / "data.yaml")["Resources"]["ClicksGlueTable"]["Properties"]
    table_input = table["TableInput"]

    assert table_input["StorageDescriptor"]["Columns"] == glue_columns(CLICK_SCHEMA)
    assert [key["Name"] for key in table_input["PartitionKeys"]] == list(DAY_PARTITION_KEYS)


@pytest.mark.parametrize(("template_name", "bucket_name"), BUCKETS)
def test_every_bucket_is_private_encrypted_and_tls_only(
    template_name: str, bucket_name: str
) -> None:
    template = load(TEMPLATE_DIR / f"{template_name}.yaml")
    bucket = template["Resources"][bucket_name]["Properties"]
    policies = [
        policy["Properties"]["PolicyDocument"]["Statement"]
        for policy in resources_of(template, "AWS::S3::BucketPolicy").values()
        if policy["Properties"]["Bucket"] == {"Ref": bucket_name}
    ]

    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(bucket["PublicAccessBlockConfiguration"]) == 4
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert len(policies) == 1, f"{bucket_name} needs one bucket policy"
    assert {
        "Effect": "Deny",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        "Resource": [
            {"Fn::GetAtt": [bucket_name, "Arn"]},
            {"Fn::Sub": f"${{{bucket_name}.Arn}}/*"},
        ],
    }.items() <= next(s for s in policies[0] if s["Effect"] == "Deny").items()


def test_the_click_table_recovers_expires_and_encrypts() -> None:
    table = load(TEMPLATE_DIR / "data.yaml")["Resources"]["ClicksTable"]

    assert table["Properties"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["Properties"]["PointInTimeRecoverySpecification"] == {
        "PointInTimeRecoveryEnabled": True
    }
    assert table["Properties"]["TimeToLiveSpecification"] == {
        "AttributeName": "expires_at",
        "Enabled": True,
    }
    assert table["Properties"]["SSESpecification"] == {"SSEEnabled": True}
    assert table["DeletionPolicy"] == "Retain"


def test_the_lake_and_results_expire_what_they_should() -> None:
    resources = load(TEMPLATE_DIR / "data.yaml")["Resources"]
    lake_rules = resources["LakeBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    results_rules = resources["AthenaResultsBucket"]["Properties"]["LifecycleConfiguration"]

    assert any("NoncurrentVersionExpiration" in rule for rule in lake_rules)
    assert results_rules["Rules"][0]["ExpirationInDays"] == {"Ref": "AthenaResultsExpireDays"}


def test_the_athena_workgroup_enforces_its_output_and_scan_limit() -> None:
    resources = load(TEMPLATE_DIR / "data.yaml")["Resources"]
    configuration = resources["AthenaWorkGroup"]["Properties"]["WorkGroupConfiguration"]

    assert configuration["EnforceWorkGroupConfiguration"] is True
    assert configuration["BytesScannedCutoffPerQuery"] == {"Ref": "AthenaBytesScannedCutoff"}
    assert configuration["ResultConfiguration"]["OutputLocation"] == {
        "Fn::Sub": "s3://${AthenaResultsBucket}/athena/"
    }

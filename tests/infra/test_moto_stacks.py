"""The images, data, trigger and ingest stacks deployed, in order, into moto's CloudFormation.

Their exports and imports are resolved for real, so a name that does not match fails the
deployment. Moto's CloudFormation skips the resource types it does not model (listed in
UNMODELLED); the Glue database and table are then created from the template's own
definitions through the Glue API, which checks their shape.
"""

import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto import mock_aws

from ingest_service.settings import DashboardSettings, IntakeSettings
from tests.infra.cfn import TEMPLATE_DIR, load
from tests.infra.test_trigger_lambda import scheduled_event, trigger

pytestmark = pytest.mark.slow

REGION = "eu-west-1"
ACCOUNT_ID = "123456789012"  # moto's default account
UNMODELLED = {
    "clickstream-images": set(),
    "clickstream-data": {
        "AWS::Athena::WorkGroup",
        "AWS::Glue::Database",
        "AWS::Glue::Table",
        "AWS::S3::BucketPolicy",
    },
    "clickstream-trigger": {"AWS::CloudWatch::Alarm"},
    "clickstream-ingest": {
        "AWS::ApplicationAutoScaling::ScalableTarget",
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        "AWS::CloudFormation::WaitConditionHandle",
        "AWS::SecretsManager::Secret",
        "AWS::WAFv2::WebACL",
        "AWS::WAFv2::WebACLAssociation",
    },
}


@dataclass
class Stack:
    outputs: dict[str, str]
    resources: dict[str, str]
    skipped_types: set[str]


@dataclass
class Account:
    stacks: dict[str, Stack]

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=REGION)


def deploy(name: str, template: str, parameters: dict[str, str]) -> Stack:
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    # Moto warns about each type it skips, at creation and again when listing resources.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cloudformation.create_stack(
            StackName=name,
            TemplateBody=(TEMPLATE_DIR / f"{template}.yaml").read_text(),
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
            Capabilities=["CAPABILITY_IAM"],
        )
        stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
        summaries = cloudformation.list_stack_resources(StackName=name)["StackResourceSummaries"]
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    return Stack(
        outputs={o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])},
        resources={r["LogicalResourceId"]: r["PhysicalResourceId"] for r in summaries},
        skipped_types={
            str(w.message).split()[3] for w in caught if "not supported by moto" in str(w.message)
        },
    )


@pytest.fixture(scope="module")
def account() -> Iterator[Account]:
    with mock_aws():
        ec2 = boto3.client("ec2", region_name=REGION)
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [
            ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=zone)
            for i, zone in enumerate([f"{REGION}a", f"{REGION}b"])
        ]
        subnet_ids = ",".join(s["Subnet"]["SubnetId"] for s in subnets)
        network = {"VpcId": vpc, "PublicSubnetIds": subnet_ids, "PrivateSubnetIds": subnet_ids}
        stacks = {
            "clickstream-images": deploy("clickstream-images", "images", {}),
            "clickstream-data": deploy("clickstream-data", "data", {}),
            "clickstream-trigger": deploy(
                "clickstream-trigger", "trigger", {"AlertEmail": "oncall@example.com"}
            ),
        }
        stacks["clickstream-ingest"] = deploy(
            "clickstream-ingest",
            "ingest",
            {"ImageTag": "v1", "CorsOrigins": "https://app.example.com", **network},
        )
        yield Account(stacks)


def test_moto_skips_only_the_known_resource_types(account: Account) -> None:
    skipped = {name: stack.skipped_types for name, stack in account.stacks.items()}
    assert skipped == UNMODELLED


def test_the_click_table_has_the_designed_keys(account: Account) -> None:
    table = account.client("dynamodb").describe_table(TableName="clickstream-clicks")["Table"]

    assert {(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]} == {
        ("pk", "HASH"),
        ("id", "RANGE"),
    }
    assert {(a["AttributeName"], a["AttributeType"]) for a in table["AttributeDefinitions"]} == {
        ("pk", "S"),
        ("id", "S"),
    }
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


def test_the_lake_and_results_buckets_exist_encrypted(account: Account) -> None:
    data = account.stacks["clickstream-data"]
    s3 = account.client("s3")
    for bucket in (data.resources["LakeBucket"], data.resources["AthenaResultsBucket"]):
        rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
        assert rules["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert data.outputs["LakeUri"] == f"s3://{data.resources['LakeBucket']}"
    assert data.outputs["AthenaOutput"].startswith(f"s3://{data.resources['AthenaResultsBucket']}/")


def resolved(node: Any, names: dict[str, str]) -> Any:
    """The template's `Ref` and `Fn::Sub` replaced by the deployed names."""
    if isinstance(node, list):
        return [resolved(item, names) for item in node]
    if not isinstance(node, dict):
        return node
    if set(node) == {"Ref"}:
        return names[node["Ref"]]
    if set(node) == {"Fn::Sub"}:
        return re.sub(r"\$\{([^}]+)\}", lambda m: names[m.group(1)], node["Fn::Sub"])
    return {key: resolved(value, names) for key, value in node.items()}


def test_the_glue_database_and_clicks_table_are_valid_glue_definitions(account: Account) -> None:
    resources = load(TEMPLATE_DIR / "data.yaml")["Resources"]
    lake = account.stacks["clickstream-data"].resources["LakeBucket"]
    names = {
        "AWS::AccountId": ACCOUNT_ID,
        "GlueDatabaseName": "clickstream",
        "GlueDatabase": "clickstream",
        "LakeBucket": lake,
    }
    glue = account.client("glue")

    # The API validates the same shapes CloudFormation takes.
    glue.create_database(
        DatabaseInput=resolved(resources["GlueDatabase"]["Properties"]["DatabaseInput"], names)
    )
    table = resolved(resources["ClicksGlueTable"]["Properties"], names)
    glue.create_table(DatabaseName=table["DatabaseName"], TableInput=table["TableInput"])

    created = glue.get_table(DatabaseName="clickstream", Name="clicks")["Table"]
    assert [k["Name"] for k in created["PartitionKeys"]] == ["year", "month", "day"]
    assert created["StorageDescriptor"]["Location"] == f"s3://{lake}/clicks/"


def test_the_queue_parks_failing_messages_in_its_dead_letter_queue(account: Account) -> None:
    trigger_stack = account.stacks["clickstream-trigger"]
    sqs = account.client("sqs")
    queue_url = trigger_stack.outputs["TriggerQueueUrl"]
    dlq_url = trigger_stack.outputs["TriggerDeadLetterQueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])
    redrive = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["RedrivePolicy"])

    assert json.loads(redrive["Attributes"]["RedrivePolicy"]) == {
        "deadLetterTargetArn": dlq_arn["Attributes"]["QueueArn"],
        "maxReceiveCount": 5,
    }


def test_the_alert_topic_mails_on_call(account: Account) -> None:
    topic_arn = account.stacks["clickstream-trigger"].outputs["AlertTopicArn"]
    subscriptions = account.client("sns").list_subscriptions_by_topic(TopicArn=topic_arn)

    assert [(s["Protocol"], s["Endpoint"]) for s in subscriptions["Subscriptions"]] == [
        ("email", "oncall@example.com")
    ]


def test_the_nightly_rule_invokes_the_function_that_feeds_the_queue(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = account.stacks["clickstream-trigger"]
    events = account.client("events")
    rule = events.describe_rule(Name=stack.resources["NightlyRule"])
    targets = events.list_targets_by_rule(Rule=stack.resources["NightlyRule"])["Targets"]
    function = account.client("lambda").get_function(
        FunctionName=stack.outputs["TriggerFunctionName"]
    )["Configuration"]
    assert rule["ScheduleExpression"] == "cron(30 0 * * ? *)"
    assert [t["Arn"] for t in targets] == [function["FunctionArn"]]

    # Moto cannot run the function; its code (the same file, see test_trigger_lambda)
    # runs here with the environment the stack gave it, and the region Lambda sets.
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    for name, value in function["Environment"]["Variables"].items():
        monkeypatch.setenv(name, value)
    trigger.handler(scheduled_event("2026-04-02T00:30:00Z"), None)

    sqs = account.client("sqs")
    messages = sqs.receive_message(QueueUrl=stack.outputs["TriggerQueueUrl"])["Messages"]
    assert [m["Body"] for m in messages] == ['{"partition": "2026-04-01"}']


def test_the_ingest_task_environments_are_valid_aws_configurations(account: Account) -> None:
    ecs = account.client("ecs")
    arn = ecs.list_task_definitions()["taskDefinitionArns"][0]
    containers = {
        c["name"]: c
        for c in ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"][
            "containerDefinitions"
        ]
    }
    environments = {
        name: {pair["name"]: pair["value"] for pair in container["environment"]}
        for name, container in containers.items()
    }

    intake = IntakeSettings.from_env(environments["intake"])
    dashboard = DashboardSettings.from_env(environments["dashboard"])

    data = account.stacks["clickstream-data"]
    assert (intake.env, dashboard.env) == ("aws", "aws")
    assert (intake.trusted_proxies, dashboard.trusted_proxies) == (1, 1)
    for settings in (intake, dashboard):
        assert (settings.loopback_reads, settings.idle_timeout_s) == (False, 65)
    assert dashboard.lake_uri == data.outputs["LakeUri"]
    assert intake.dynamodb_table == dashboard.dynamodb_table == "clickstream-clicks"
    assert intake.cors_origins == ("https://app.example.com",)
    for container in containers.values():
        assert [s["name"] for s in container["secrets"]] == ["CLICKSTREAM_READ_TOKEN"]


def test_the_ingest_target_groups_check_health(account: Account) -> None:
    groups = account.client("elbv2").describe_target_groups()["TargetGroups"]

    assert sorted((g["Port"], g["HealthCheckPath"]) for g in groups) == [
        (8000, "/health"),
        (8001, "/health"),
    ]

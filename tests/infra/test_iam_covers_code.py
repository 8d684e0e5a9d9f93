"""Every AWS call the Python code makes is allowed by some policy in the templates.

The calls are found in the source: in a module that makes a client for a service (or
is named after it, like dynamodb_erase.py), each method of that service's boto3 client
it names, paginators and waiters included. Which role needs which call is reviewed in
the templates; this catches a call no policy allows at all.
"""

import re
from functools import cache
from pathlib import Path

import botocore.session
from botocore import xform_name

from tests.infra.cfn import REPO, as_list
from tests.infra.test_iam_scope import all_statements

SERVICES = ("dynamodb", "s3", "glue", "athena", "sns", "sqs")
SOURCE_DIRS = ("ingest_service", "orchestration")
# Client methods that are not API operations, or whose permission has another name.
ACTIONS_OF = {
    "s3.upload_file": ["s3:PutObject"],
    "s3.head_object": ["s3:GetObject"],
    "s3.list_objects_v2": ["s3:ListBucket"],
    "s3.list_object_versions": ["s3:ListBucketVersions"],
    "s3.delete_objects": ["s3:DeleteObject"],
    "sqs.delete_message_batch": ["sqs:DeleteMessage"],
    "dynamodb.table_exists": ["dynamodb:DescribeTable"],
}
# Calls of features the stacks do not set up, so no role needs them.
NOT_DEPLOYED = {"glue:StartCrawler": "the catalog starts a crawler only when one is configured"}


@cache
def operations(service: str) -> dict[str, str]:
    """boto3 method name -> IAM action, for one service."""
    model = botocore.session.get_session().get_service_model(service)
    return {xform_name(name): f"{service}:{name}" for name in model.operation_names}


def services_of(path: Path) -> list[str]:
    text = path.read_text()
    return [
        service
        for service in SERVICES
        if re.search(rf"client\(\s*\"{service}\"", text)
        or path.stem.startswith(f"{service}_")
        or path.stem == service
    ]


def actions_called(path: Path) -> set[str]:
    text = path.read_text()
    names = set(re.findall(r"\.([a-z_0-9]+)\b", text))
    names |= set(re.findall(r"get_(?:paginator|waiter)\(\s*\"([a-z_0-9]+)\"", text))
    found: set[str] = set()
    for service in services_of(path):
        for name in names:
            if f"{service}.{name}" in ACTIONS_OF:
                found.update(ACTIONS_OF[f"{service}.{name}"])
            elif name in operations(service):
                found.add(operations(service)[name])
    return found


def granted() -> set[str]:
    return {action for s in all_statements() for action in as_list(s.body.get("Action", []))}


def test_every_call_in_the_code_is_allowed_somewhere() -> None:
    sources = [p for d in SOURCE_DIRS for p in sorted((REPO / d).rglob("*.py"))]
    called = {action: path for path in sources for action in actions_called(path)}

    assert {"dynamodb:BatchWriteItem", "s3:PutObject", "athena:StartQueryExecution"} <= set(
        called
    ), "the AWS calls were not found in the source"
    allowed = granted() | set(NOT_DEPLOYED)
    missing = {a: str(p.relative_to(REPO)) for a, p in called.items() if a not in allowed}
    assert not missing, f"no policy allows: {missing}"

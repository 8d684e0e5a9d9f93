"""No policy in the templates allows a wildcard action or an unscoped resource.

The one exception is an action AWS grants only on `"*"`: the resource owning the
statement names it under `Metadata: clickstream: unscoped:` with the reason, and every
such entry must still be needed.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.infra.cfn import Template, as_list, templates

POLICY_PATHS = {
    "AWS::IAM::Role": ("Policies", "PolicyDocument"),
    "AWS::IAM::ManagedPolicy": ("PolicyDocument",),
    "AWS::IAM::Policy": ("PolicyDocument",),
    "AWS::S3::BucketPolicy": ("PolicyDocument",),
    "AWS::SQS::QueuePolicy": ("PolicyDocument",),
    "AWS::SNS::TopicPolicy": ("PolicyDocument",),
}
PSEUDO_PARAMETER = re.compile(r"\$\{AWS::\w+\}")
REFERENCE = re.compile(r"\$\{[^}]+\}")


@dataclass
class Statement:
    where: str
    body: dict[str, Any]
    unscoped_allowed: dict[str, str]


def allow_statements(template_name: str, template: Template) -> Iterator[Statement]:
    for name, resource in template["Resources"].items():
        path = POLICY_PATHS.get(resource["Type"])
        if path is None:
            continue
        allowed = resource.get("Metadata", {}).get("clickstream", {}).get("unscoped", {})
        for document in _documents(resource["Properties"], path):
            for statement in as_list(document["Statement"]):
                if statement["Effect"] == "Allow":
                    yield Statement(f"{template_name}/{name}", statement, dict(allowed))


def _documents(node: Any, path: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    if not path:
        yield node
        return
    for item in as_list(node.get(path[0], [])):
        yield from _documents(item, path[1:])


def resource_texts(node: Any) -> list[str]:
    """A policy resource as text, references kept as `${...}`; both sides of an `Fn::If`."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [text for item in node for text in resource_texts(item)]
    ((function, value),) = node.items()
    if function == "Ref":
        return [f"${{{value}}}"]
    if function == "Fn::GetAtt":
        return ["${" + ".".join(as_list(value)) + "}"]
    if function == "Fn::Sub":
        return [value if isinstance(value, str) else value[0]]
    if function == "Fn::ImportValue":
        return ["${import}"]
    if function == "Fn::If":
        return resource_texts(value[1]) + resource_texts(value[2])
    raise AssertionError(f"unexpected {function} in a policy resource")


def is_scoped(resource: str) -> bool:
    """A named resource, or everything under one (`<name>/*`, `<name>:*`)."""
    if "*" not in resource:
        return True
    if resource.count("*") > 1 or not resource.endswith(("/*", ":*")):
        return False
    # Account, region and partition name no resource; a template reference does.
    named = REFERENCE.sub("ref", PSEUDO_PARAMETER.sub("", resource[:-2]))
    return bool(re.split(r"[:/]", named)[-1])


def problems(statement: Statement) -> list[str]:
    body = statement.body
    found = [f"{statement.where}: {key} is not allowed" for key in ("NotAction", "NotResource")]
    found = [message for message in found if message.split()[1] in body]
    actions = as_list(body.get("Action", []))
    found += [f"{statement.where}: wildcard action {a}" for a in actions if "*" in a]
    if body.get("Principal") in ("*", {"AWS": "*"}):
        found.append(f"{statement.where}: allows any principal")
    if "Resource" not in body:  # trust policies name a principal instead
        return found
    for resource in resource_texts(body["Resource"]):
        if resource == "*":
            unexplained = [a for a in actions if not statement.unscoped_allowed.get(a)]
            found += [f"{statement.where}: {a} on '*' without a reason" for a in unexplained]
        elif not is_scoped(resource):
            found.append(f"{statement.where}: unscoped resource {resource}")
    return found


def all_statements() -> list[Statement]:
    return [s for name, t in templates().items() for s in allow_statements(name, t)]


def test_every_allow_is_scoped() -> None:
    statements = all_statements()
    assert len(statements) > 10, "the policies were not found"
    found = [problem for statement in statements for problem in problems(statement)]
    assert not found, "\n".join(found)


def test_every_unscoped_reason_is_still_needed() -> None:
    used: dict[str, set[str]] = {}
    declared: dict[str, set[str]] = {}
    for statement in all_statements():
        declared.setdefault(statement.where, set()).update(statement.unscoped_allowed)
        if "*" in resource_texts(statement.body.get("Resource", [])):
            used.setdefault(statement.where, set()).update(as_list(statement.body["Action"]))
    stale = {where: names - used.get(where, set()) for where, names in declared.items()}
    assert not any(stale.values()), f"unscoped reasons no statement needs: {stale}"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"Action": "s3:*", "Resource": "arn:aws:s3:::lake/*"}, "wildcard action s3:*"),
        ({"Action": "s3:GetObject", "Resource": "*"}, "s3:GetObject on '*' without a reason"),
        ({"Action": "s3:GetObject", "Resource": "arn:aws:s3:::*"}, "unscoped resource"),
        (
            {
                "Action": "logs:PutLogEvents",
                "Resource": {"Fn::Sub": "arn:aws:logs:${AWS::Region}:*"},
            },
            "unscoped resource",
        ),
        ({"Action": "sqs:SendMessage", "Resource": "*", "Principal": "*"}, "any principal"),
        ({"NotAction": "iam:*", "Resource": {"Ref": "Queue"}}, "NotAction is not allowed"),
    ],
)
def test_the_check_rejects(body: dict[str, Any], expected: str) -> None:
    statement = Statement("t/R", {"Effect": "Allow", **body}, {})
    assert any(expected in problem for problem in problems(statement))


def test_the_check_accepts_a_reasoned_wildcard_and_object_scopes() -> None:
    reasoned = Statement(
        "t/R",
        {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
        {"ecr:GetAuthorizationToken": "account-wide token"},
    )
    objects = Statement(
        "t/R",
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::Sub": "${Lake.Arn}/*"}},
        {},
    )
    assert problems(reasoned) == []
    assert problems(objects) == []

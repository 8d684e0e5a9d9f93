"""The trigger Lambda queues exactly {"partition": "YYYY-MM-DD"} for the right day; each
Lambda's template inlines its code."""

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.infra.cfn import REPO, TEMPLATE_DIR, load

TRIGGER_PATH = REPO / "infra" / "lambda" / "trigger.py"
REGION = "eu-west-1"


def load_lambda(path: Path) -> ModuleType:
    """A Lambda's code as a module (infra/lambda is no package: the code is inlined)."""
    spec = importlib.util.spec_from_file_location(f"clickstream_{path.stem}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


trigger = load_lambda(TRIGGER_PATH)


@pytest.fixture
def queue_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        url = boto3.client("sqs", region_name=REGION).create_queue(QueueName="trigger")["QueueUrl"]
        monkeypatch.setenv("CLICKSTREAM_TRIGGER_QUEUE_URL", url)
        yield url


def received(queue_url: str) -> list[str]:
    sqs = boto3.client("sqs", region_name=REGION)
    reply = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
    return [message["Body"] for message in reply.get("Messages", [])]


def scheduled_event(time: str) -> dict[str, Any]:
    """What EventBridge sends a scheduled rule's target."""
    return {
        "version": "0",
        "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": time,
        "region": REGION,
        "resources": ["arn:aws:events:eu-west-1:123456789012:rule/nightly"],
        "detail": {},
    }


def test_the_nightly_event_queues_the_day_before_it(queue_url: str) -> None:
    result = trigger.handler(scheduled_event("2026-03-01T00:30:00Z"), None)

    assert result == {"partition": "2026-02-28"}
    assert received(queue_url) == ['{"partition": "2026-02-28"}']


def test_the_day_is_taken_in_utc(queue_url: str) -> None:
    # 01:30 at UTC+02:00 is 23:30 UTC on the 14th: the day before that is the 13th.
    trigger.handler(scheduled_event("2026-05-15T01:30:00+02:00"), None)

    assert [json.loads(body) for body in received(queue_url)] == [{"partition": "2026-05-13"}]


def test_a_manual_event_queues_the_day_it_names(queue_url: str) -> None:
    trigger.handler({"partition": "2025-12-31"}, None)

    assert received(queue_url) == ['{"partition": "2025-12-31"}']


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ({"partition": "2026-02-30"}, "is not a day"),
        ({"partition": "2026-2-3"}, "is not a day"),
        ({"partition": "20260203"}, "is not a day"),
        ({"partition": 20260203}, "is not a day"),
        ({"detail-type": "Scheduled Event"}, 'with "time"'),
        ({"time": "2026-03-01T00:30:00"}, "no time zone"),
    ],
)
def test_a_bad_event_fails_and_queues_nothing(
    queue_url: str, event: dict[str, Any], reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        trigger.handler(event, None)

    assert received(queue_url) == []


@pytest.mark.parametrize(
    ("template", "resource", "path"),
    [
        ("trigger", "TriggerFunction", TRIGGER_PATH),
        ("oncall", "WatchdogFunction", REPO / "infra" / "lambda" / "watchdog.py"),
    ],
)
def test_the_template_inlines_this_exact_code(template: str, resource: str, path: Path) -> None:
    function = load(TEMPLATE_DIR / f"{template}.yaml")["Resources"][resource]
    inlined = function["Properties"]["Code"]["ZipFile"]

    assert inlined == path.read_text(), (
        f"infra/cloudformation/{template}.yaml's ZipFile differs from {path.name}: "
        "copy the file into the template"
    )
    assert function["Properties"]["Handler"] == "index.handler"
    assert len(inlined) <= 4096, "CloudFormation inlines at most 4096 characters"

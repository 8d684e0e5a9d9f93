"""Alerts to on-call through an SNS topic (email, chat, pager subscribe to it).

The message is the local alerter's text; the optional webhook gets the same POST as in
local mode, from the same code. A publish SNS refuses is retried with backoff; when every
attempt fails the alert is raised, not dropped: the sensor's tick fails, which the Dagster
UI shows on the sensor, and the sensor's cursor stays put, so the next tick sends the
alert again (as it may the tick's earlier alerts: at least once, never lost).
"""

import logging

from botocore.exceptions import BotoCoreError, ClientError

from ingest_service.store.dynamodb_retry import Backoff
from orchestration.resources.alerts import Alert, Alerter, post_to_webhook
from orchestration.resources.aws_clients import aws_client

_log = logging.getLogger(__name__)
# SNS rejects a subject longer than 100 characters.
_SUBJECT_LIMIT = 100


class AlertNotDelivered(RuntimeError):
    """SNS refused an alert on every attempt."""


class SNSAlerter(Alerter):
    topic_arn: str
    webhook_url: str | None = None
    attempts: int = 4
    first_retry_s: float = 0.5

    def send(self, alert: Alert) -> None:
        # The webhook first: an SNS outage must not silence it too.
        if self.webhook_url:
            post_to_webhook(self.webhook_url, alert)
        subject = alert.text().splitlines()[0][:_SUBJECT_LIMIT]
        failure: Exception | None = None
        for attempt in Backoff(max_attempts=self.attempts, base_s=self.first_retry_s).attempts():
            try:
                aws_client("sns").publish(
                    TopicArn=self.topic_arn, Subject=subject, Message=alert.text()
                )
                return
            except (BotoCoreError, ClientError) as exc:
                failure = exc
                _log.warning(
                    "alert to SNS topic %s, attempt %d: %s", self.topic_arn, attempt + 1, exc
                )
        raise AlertNotDelivered(
            f"alert to SNS topic {self.topic_arn} not delivered after {self.attempts} attempts:"
            f" {failure}; subject {subject!r}"
        )

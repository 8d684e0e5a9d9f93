"""Alerts to on-call through an SNS topic (email, chat, pager subscribe to it).

The message is the local alerter's text; the optional webhook gets the same POST as in
local mode, from the same code.
"""

import logging

from botocore.exceptions import BotoCoreError, ClientError

from orchestration.resources.alerts import Alert, Alerter, post_to_webhook
from orchestration.resources.aws_clients import aws_client

_log = logging.getLogger(__name__)
# SNS rejects a subject longer than 100 characters.
_SUBJECT_LIMIT = 100


class SNSAlerter(Alerter):
    topic_arn: str
    webhook_url: str | None = None

    def send(self, alert: Alert) -> None:
        subject = alert.text().splitlines()[0]
        try:
            aws_client("sns").publish(
                TopicArn=self.topic_arn,
                Subject=subject[:_SUBJECT_LIMIT],
                Message=alert.text(),
            )
        except (BotoCoreError, ClientError) as exc:
            _log.error("alert to SNS topic %s failed: %s", self.topic_arn, exc)
        if self.webhook_url:
            post_to_webhook(self.webhook_url, alert)

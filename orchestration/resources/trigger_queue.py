"""The SQS queue the nightly trigger Lambda feeds with `{"partition": "YYYY-MM-DD"}`.

Unset (`CLICKSTREAM_TRIGGER_QUEUE_URL`), there is nothing to read and the nightly
schedule alone starts runs: the same resource and sensor exist in both modes.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import dagster as dg

# SQS takes at most 10 messages per receive and per delete batch.
_SQS_BATCH = 10


@dataclass(frozen=True)
class TriggerMessage:
    message_id: str
    receipt: str
    body: str


class TriggerQueue(dg.ConfigurableResource):  # type: ignore[type-arg]
    queue_url: str | None = None
    # Long enough that a message accepted in one tick is deleted in the next before SQS
    # shows it again; a rejected one comes back after it, up to the dead-letter redrive.
    visibility_timeout_s: int = 300

    def receive(self) -> list[TriggerMessage]:
        if self.queue_url is None:
            return []
        # boto3 only with a queue (aws mode): every process that loads the code location
        # (webserver, daemon, each run) imports this module.
        from orchestration.resources.aws_clients import aws_client

        response = aws_client("sqs").receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=_SQS_BATCH,
            VisibilityTimeout=self.visibility_timeout_s,
            WaitTimeSeconds=1,
        )
        return [
            TriggerMessage(m["MessageId"], m["ReceiptHandle"], m["Body"])
            for m in response.get("Messages", [])
        ]

    def delete(self, receipts: Sequence[str]) -> list[str]:
        """Deletes the messages; returns the reasons of any that could not be deleted."""
        if self.queue_url is None or not receipts:
            return []
        from botocore.exceptions import BotoCoreError, ClientError

        from orchestration.resources.aws_clients import aws_client

        sqs = aws_client("sqs")
        failures: list[str] = []
        for start in range(0, len(receipts), _SQS_BATCH):
            entries = [
                {"Id": str(n), "ReceiptHandle": receipt}
                for n, receipt in enumerate(receipts[start : start + _SQS_BATCH])
            ]
            try:
                response = sqs.delete_message_batch(QueueUrl=self.queue_url, Entries=entries)
            except (BotoCoreError, ClientError) as exc:
                failures.append(str(exc))
                continue
            failures.extend(f["Message"] for f in response.get("Failed", []))
        return failures

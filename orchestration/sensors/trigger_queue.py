"""`trigger_queue_sensor`: a run for each day the nightly trigger queues, once.

At least once, never lost: a message is deleted only in the tick after the one that
emitted its run request, once Dagster has stored that tick's cursor with the request.
A crash in between makes SQS deliver the message again, under the same message id; the
run key is that id, so the repeat is a no-op. The run key is not the day: a new message
for a day that ran before (failed or not) is a re-run, and runs. A message for a day
that is not closed yet (today or later, UTC), before the first partition, or not
`{"partition": "YYYY-MM-DD"}` is logged and left on the queue: after a few receives its
redrive policy parks it in the dead-letter queue, whose alarm reaches on-call, rather
than being dropped here.
"""

import json
from datetime import UTC, date, datetime

import dagster as dg

from orchestration.resources.trigger_queue import TriggerMessage, TriggerQueue

SENSOR_NAME = "trigger_queue_sensor"


def requested_day(message: TriggerMessage, first_day: date, today: date) -> date:
    """The day the message asks for; ValueError saying why when it cannot be run."""
    try:
        body = json.loads(message.body)
        text = body["partition"]
        day = date.fromisoformat(text)
    except (ValueError, TypeError, KeyError):
        raise ValueError('not {"partition": "YYYY-MM-DD"}') from None
    if day.isoformat() != text:
        raise ValueError('not {"partition": "YYYY-MM-DD"}')
    if day >= today:
        raise ValueError(f"{day} is not closed yet (today is {today}, UTC)")
    if day < first_day:
        raise ValueError(f"{day} is before the first partition, {first_day}")
    return day


def build_trigger_queue_sensor(
    job_name: str, first_day: date, queue_configured: bool
) -> dg.SensorDefinition:
    status = dg.DefaultSensorStatus.RUNNING if queue_configured else dg.DefaultSensorStatus.STOPPED

    @dg.sensor(
        name=SENSOR_NAME, job_name=job_name, minimum_interval_seconds=30, default_status=status
    )
    def trigger_queue_sensor(
        context: dg.SensorEvaluationContext, trigger_queue: TriggerQueue
    ) -> dg.SensorResult | dg.SkipReason:
        """Runs the day each message on the trigger queue (CLICKSTREAM_TRIGGER_QUEUE_URL) names."""
        if trigger_queue.queue_url is None:
            return dg.SkipReason("no trigger queue: CLICKSTREAM_TRIGGER_QUEUE_URL is not set")
        emitted_before: list[str] = json.loads(context.cursor or "{}").get("delete", [])
        for failure in trigger_queue.delete(emitted_before):
            context.log.warning(
                f"trigger message not deleted, it will repeat harmlessly: {failure}"
            )
        today = datetime.now(UTC).date()
        requests: list[dg.RunRequest] = []
        receipts: list[str] = []
        for message in trigger_queue.receive():
            try:
                day = requested_day(message, first_day, today)
            except ValueError as exc:
                context.log.error(
                    f"trigger message {message.message_id} rejected: {exc}; body {message.body!r}"
                    " left on the queue for its dead-letter queue"
                )
                continue
            requests.append(
                dg.RunRequest(run_key=message.message_id, partition_key=day.isoformat())
            )
            receipts.append(message.receipt)
        return dg.SensorResult(
            run_requests=sorted(requests, key=lambda r: (r.partition_key or "", r.run_key or "")),
            cursor=json.dumps({"delete": receipts}),
        )

    return trigger_queue_sensor

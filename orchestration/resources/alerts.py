"""Alerts to on-call: `Alerter` is the interface, `LocalAlerter` the local implementation.

Locally an alert is one JSON line in the alert log under the data dir and, when a webhook
URL is configured, a Slack-compatible POST. The SNS implementation lives beside this one.
"""

import abc
import logging
from pathlib import Path
from typing import Literal

import dagster as dg
import httpx
import msgspec

_log = logging.getLogger(__name__)
WEBHOOK_TIMEOUT_S = 5.0


class Alert(msgspec.Struct, frozen=True, kw_only=True):
    """One failure, with what on-call needs to act without opening anything else first."""

    asset: str
    partition: str | None
    check: str | None
    severity: Literal["ERROR", "WARN"]
    found: str
    what_to_do: str
    run_url: str | None

    def text(self) -> str:
        """The alert as a chat message."""
        subject = f"{self.asset}" + (f" [{self.partition}]" if self.partition else "")
        what = f"check {self.check}" if self.check else "run failed"
        lines = [
            f"{self.severity}: {subject}: {what}",
            self.found,
            f"What to do: {self.what_to_do}",
        ]
        if self.run_url:
            lines.append(f"Run: {self.run_url}")
        return "\n".join(lines)


def run_url(dagster_url: str, run_id: str) -> str:
    return f"{dagster_url.rstrip('/')}/runs/{run_id}"


class Alerter(dg.ConfigurableResource):  # type: ignore[type-arg]
    """Delivers alerts to on-call. A webhook that fails is logged (the alert is on record
    elsewhere); SNS failing on every retry raises, so that the sensor's tick fails."""

    @abc.abstractmethod
    def send(self, alert: Alert) -> None:
        """Delivers one alert."""


def post_to_webhook(webhook_url: str, alert: Alert) -> None:
    """POSTs the alert as a Slack-compatible `{"text": ...}`; a failure is logged."""
    try:
        response = httpx.post(webhook_url, json={"text": alert.text()}, timeout=WEBHOOK_TIMEOUT_S)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        # The alert is on record elsewhere already; a webhook outage must not fail the sensor.
        _log.warning("alert webhook %s failed: %s", webhook_url, exc)


class LocalAlerter(Alerter):
    log_path: str
    webhook_url: str | None = None

    def send(self, alert: Alert) -> None:
        path = Path(self.log_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab") as log:
            log.write(msgspec.json.encode(alert) + b"\n")
        if self.webhook_url:
            post_to_webhook(self.webhook_url, alert)

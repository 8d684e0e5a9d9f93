"""LocalAlerter: one JSON line per alert, a Slack-compatible POST, webhook failures logged."""

from pathlib import Path

import msgspec
import pytest

from orchestration.resources.alerts import Alert, LocalAlerter
from tests.quality.conftest import Webhook

ALERT = Alert(
    asset="clicks_export",
    partition="2026-03-10",
    check="ids_unique",
    severity="ERROR",
    found="2 duplicate row(s)",
    what_to_do="remove the duplicates",
    run_url="http://127.0.0.1:3000/runs/abc",
)


def read_log(path: Path) -> list[Alert]:
    return [msgspec.json.decode(line, type=Alert) for line in path.read_bytes().splitlines()]


def test_an_alert_is_one_line_of_the_log(tmp_path: Path) -> None:
    log = tmp_path / "data" / "alerts.jsonl"
    alerter = LocalAlerter(log_path=str(log))
    alerter.send(ALERT)
    alerter.send(ALERT)
    assert read_log(log) == [ALERT, ALERT]


def test_the_webhook_receives_a_slack_text(tmp_path: Path, webhook: Webhook) -> None:
    LocalAlerter(log_path=str(tmp_path / "alerts.jsonl"), webhook_url=webhook.url).send(ALERT)
    [payload] = webhook.received()
    text = str(payload["text"])
    assert text.startswith("ERROR: clicks_export [2026-03-10]: check ids_unique")
    assert "http://127.0.0.1:3000/runs/abc" in text


def test_a_dead_webhook_is_logged_and_the_alert_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    log = tmp_path / "alerts.jsonl"
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    LocalAlerter(log_path=str(log), webhook_url="http://127.0.0.1:9/hook").send(ALERT)
    assert read_log(log) == [ALERT]
    assert "alert webhook http://127.0.0.1:9/hook failed" in caplog.text

"""For the alert tests: a webhook receiver in its own process, a throwaway Dagster instance."""

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from tests.servers import stop

_RECEIVER = Path(__file__).with_name("webhook_receiver.py")


@dataclass(frozen=True)
class Webhook:
    url: str
    received_path: Path

    def received(self) -> list[dict[str, object]]:
        if not self.received_path.exists():
            return []
        return [json.loads(line) for line in self.received_path.read_text().splitlines()]


@pytest.fixture
def webhook(tmp_path: Path) -> Iterator[Webhook]:
    received = tmp_path / "webhook.jsonl"
    process = subprocess.Popen(
        [sys.executable, str(_RECEIVER), str(received)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield Webhook(url=f"http://127.0.0.1:{port}/hook", received_path=received)
    finally:
        stop(process)
        if process.stdout is not None:
            process.stdout.close()


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as test_instance:
        yield test_instance

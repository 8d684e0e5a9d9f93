"""`clickstream erase` removes a visitor from the store and from every lake partition."""

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import msgspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest_service.contract import CLICK_SCHEMA, Click
from ingest_service.settings import DataSettings, IntakeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from ingest_service.synthetic import synthetic_clicks
from orchestration.cli import main
from orchestration.resources.lake import CLICKS_TABLE, LocalLake

TODAY = datetime.now(UTC).date()
# Expired from the store long ago, still in the lake.
LAKE_ONLY_DAY = TODAY - timedelta(days=900)


def _clicks_on(day: date, count: int, **ids: str) -> list[Click]:
    received = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    clicks = synthetic_clicks(day, 1, count, seed=day.toordinal())
    return [
        # Fresh ids: the same seed gives the same ids, and the store keeps the first only.
        msgspec.structs.replace(
            click, id=str(uuid.uuid4()), received_at=received, event_date=day, **ids
        )
        for click in clicks
    ]


@pytest.fixture
def visited(
    settings: IntakeSettings, sqlite_store: SQLiteClickStore, monkeypatch: pytest.MonkeyPatch
) -> LocalLake:
    """A store and a lake where visitor `v-1` clicked on three days, one of them lake-only."""
    monkeypatch.setenv("CLICKSTREAM_DATA_DIR", str(settings.data_dir))
    lake = LocalLake(root=DataSettings(data_dir=settings.data_dir).lake_root)
    yesterday = TODAY - timedelta(days=1)
    sqlite_store.write(
        _clicks_on(yesterday, 3, anonymous_id="v-1")
        + _clicks_on(TODAY, 2, anonymous_id="v-1", session_id="s-9")
        + _clicks_on(TODAY, 1, anonymous_id="v-2", session_id="s-9")
        + _clicks_on(TODAY, 4, anonymous_id="v-2")
    )
    for day in (yesterday, TODAY):
        lake.write_partition(CLICKS_TABLE, day, sqlite_store.read_day(day), CLICK_SCHEMA)
    old = _clicks_on(LAKE_ONLY_DAY, 5, anonymous_id="v-1") + _clicks_on(LAKE_ONLY_DAY, 2)
    lake.write_partition(CLICKS_TABLE, LAKE_ONLY_DAY, iter([_batch(old)]), CLICK_SCHEMA)
    return lake


def _batch(clicks: list[Click]) -> pa.RecordBatch:
    rows = [msgspec.structs.asdict(click) for click in clicks]
    return pa.RecordBatch.from_pylist(rows, schema=CLICK_SCHEMA)


def _lake_ids(lake: LocalLake, day: date, column: str) -> list[str | None]:
    table = pq.read_table(lake.partition_uri(CLICKS_TABLE, day), partitioning=None)
    values: list[str | None] = table.column(column).to_pylist()
    return values


def test_erase_by_anonymous_id_from_store_and_lake(
    visited: LocalLake, sqlite_store: SQLiteClickStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["erase", "--anonymous-id", "v-1"]) == 0
    printed = capsys.readouterr().out
    yesterday = TODAY - timedelta(days=1)
    assert f"store: removed 5 click(s) (days: {yesterday}, {TODAY})" in printed
    assert "lake: removed 10 click(s), rewrote 3 partition(s)" in printed
    assert f"  {LAKE_ONLY_DAY}: 5" in printed
    for day, left in ((yesterday, 0), (TODAY, 5), (LAKE_ONLY_DAY, 2)):
        ids = _lake_ids(visited, day, "anonymous_id")
        assert "v-1" not in ids
        assert len(ids) == left
    assert sqlite_store.count_day(TODAY) == 5
    assert pq.read_schema(visited.partition_uri(CLICKS_TABLE, TODAY)) == CLICK_SCHEMA

    before = {path: path.stat().st_mtime_ns for path in Path(visited.root).rglob("*.parquet")}
    assert main(["erase", "--anonymous-id", "v-1"]) == 0
    again = capsys.readouterr().out
    assert "store: removed 0 click(s) (days: none)" in again
    assert "lake: no partition held them" in again
    after = {path: path.stat().st_mtime_ns for path in Path(visited.root).rglob("*.parquet")}
    assert after == before  # nothing rewritten the second time


def test_erase_by_session_id_leaves_the_rest_of_the_visitor(
    visited: LocalLake, sqlite_store: SQLiteClickStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["erase", "--session-id", "s-9"]) == 0
    assert "store: removed 3 click(s)" in capsys.readouterr().out
    assert "s-9" not in _lake_ids(visited, TODAY, "session_id")
    assert _lake_ids(visited, TODAY, "anonymous_id").count("v-2") == 4
    assert sqlite_store.count_day(TODAY) == 4


def test_erase_needs_an_id(visited: LocalLake, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["erase"]) == 2
    assert "--anonymous-id or --session-id" in capsys.readouterr().err


def test_a_wrong_funnel_file_stops_the_erase_before_it_removes_anything(
    visited: LocalLake,
    sqlite_store: SQLiteClickStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """It could not recount the funnels of the days it rewrites, and once the visitor is
    gone a second erase would find nothing to recount them for."""
    wrong = tmp_path / "funnels.toml"
    wrong.write_text('[[funnel]]\nname = "Only one step"\nsteps = [{ page = "/" }]\n')
    monkeypatch.setenv("CLICKSTREAM_FUNNELS_FILE", str(wrong))
    assert main(["erase", "--anonymous-id", "v-1"]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"clickstream erase: nothing erased: {wrong}: funnel 1")
    assert "fix the funnel file, then erase" in error
    assert "v-1" in _lake_ids(visited, LAKE_ONLY_DAY, "anonymous_id")
    assert sqlite_store.count_day(TODAY) == 7


def test_sqlite_erase_matches_either_id(sqlite_store: SQLiteClickStore) -> None:
    sqlite_store.write(
        _clicks_on(TODAY, 2, anonymous_id="a", session_id="x")
        + _clicks_on(TODAY, 3, session_id="y")
        + _clicks_on(TODAY, 1, anonymous_id="b")
    )
    erased = sqlite_store.erase(anonymous_id="a", session_id="y")
    assert (erased.count, erased.days) == (5, (TODAY,))
    assert sqlite_store.erase(anonymous_id="a", session_id="y").count == 0
    assert sqlite_store.count_day(TODAY) == 1

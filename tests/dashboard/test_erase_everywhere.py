"""After `clickstream erase`, no file under the data dir and no served figure holds the visitor.

A visitor with pages and a button of their own clicks on two days of two months among
thousands of other clicks; the nightly steps export and summarize those days (the
funnels of the repository's funnel file too) and the dashboard caches its figures. Then
the visitor is erased, and every file is searched: the raw bytes of each (the SQLite
store, its WAL, the catalog), and the values of each Parquet file (compressed, so its
raw bytes would hide a match).
"""

import re
import sqlite3
import uuid
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import msgspec
import pyarrow.parquet as pq
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from ingest_service.contract import Click
from ingest_service.settings import ServeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from ingest_service.synthetic import synthetic_clicks
from orchestration.assets.summary_tables import SUMMARIES
from orchestration.cli import main
from tests.dashboard.conftest import FUNNELS_FILE
from tests.dashboard.lake import store_and_summarize

pytestmark = pytest.mark.anyio

DAYS = [date(2026, 2, 27), date(2026, 3, 10)]
RANGE = {"start": "2026-02-27", "end": "2026-03-10"}
VISITOR = "visitor-4e1d"
SESSION = "session-of-visitor-4e1d"
PAGE = "https://shop.example/wishlist-of-visitor-4e1d"
BUTTON = "Gift for visitor 4e1d"
# Where only the visitor clicked from: in the day's places and its regions' summary.
SVALBARD = {"latitude": 78.22, "longitude": 15.65}
PLACE = "Svalbard"


def _fresh(day: date, count: int, seed: int, **fields: object) -> list[Click]:
    """Synthetic clicks with ids of their own (a seed repeats its ids)."""
    return [
        msgspec.structs.replace(click, id=str(uuid.uuid4()), **fields)
        for click in synthetic_clicks(day, 1, count, seed=seed)
    ]


def _visitor_clicks() -> list[Click]:
    mine = {
        "anonymous_id": VISITOR,
        "session_id": SESSION,
        "page_url": PAGE,
        "button": BUTTON,
        # No funnel step: the funnels of the others are the same before and after.
        "properties": None,
        **SVALBARD,
    }
    return [
        click
        for day in DAYS
        for click in _fresh(day, 6, day.toordinal(), **mine, is_bot=False, device_type="desktop")
    ]


def _others() -> list[Click]:
    return [click for day in DAYS for click in _fresh(day, 1500, day.day)]


def _files_holding(root: Path, needles: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        text = str(pq.read_table(path).to_pylist()) if path.suffix == ".parquet" else ""
        hits = [n for n in needles if n.encode() in raw or n in text]
        if hits:
            found[str(path.relative_to(root))] = hits
    return found


async def test_erase_leaves_no_trace_in_any_file_or_figure(
    settings: ServeSettings,
    sqlite_store: SQLiteClickStore,
    reader: AsyncTestClient[Litestar],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    visitor = _visitor_clicks()
    others = _others()
    store_and_summarize(settings, sqlite_store, others + visitor, DAYS)
    # Arrived today, not yet in the lake: the store alone holds it.
    today = datetime.now(UTC).replace(microsecond=0)
    sqlite_store.write(
        [
            msgspec.structs.replace(
                visitor[0], id=str(uuid.uuid4()), received_at=today, event_date=today.date()
            )
        ]
    )
    needles = [VISITOR, SESSION, PAGE, BUTTON, PLACE, *(click.id for click in visitor)]
    data_dir = settings.data_dir
    # A summary partition is a folder of its own write under the day's (or month's).
    before = {re.sub(r"/[0-9a-f]{32}/", "/<write>/", f) for f in _files_holding(data_dir, needles)}
    assert {"clicks.sqlite3", "clicks.sqlite3-wal"} & before  # where depends on checkpoints
    assert before >= {
        "lake/clicks/year=2026/month=03/day=10/dynamodb_export.parquet",
        "lake/places/year=2026/month=03/day=10/places.parquet",
        "lake/summaries/clicks_by_region/year=2026/month=03/day=10/<write>/summary.parquet",
        "lake/summaries/clicks_by_page/year=2026/month=02/day=27/<write>/summary.parquet",
        "lake/summaries/clicks_by_button_compacted/year=2026/month=03/<write>/summary.parquet",
    }
    pages = (await reader.get("/api/dashboard/pages", params=RANGE)).json()
    assert PAGE in [row["name"] for row in pages["rows"]]  # and now cached
    funnels = (await reader.get("/api/dashboard/funnels", params=RANGE)).json()["rows"]
    assert {row["funnel"] for row in funnels if row["sessions"]} == {
        "Pricing to checkout",
        "Pro plan",
    }

    monkeypatch.setenv("CLICKSTREAM_DATA_DIR", str(data_dir))
    monkeypatch.setenv("CLICKSTREAM_FUNNELS_FILE", str(FUNNELS_FILE))
    assert main(["erase", "--anonymous-id", VISITOR]) == 0

    printed = capsys.readouterr().out
    assert "store: removed 13 click(s)" in printed
    assert "lake: removed 12 click(s), rewrote 2 partition(s)" in printed
    assert f"summaries: recomputed {len(SUMMARIES)} table(s) for 2026-02-27, 2026-03-10" in printed
    assert "compacted copies for 2026-02, 2026-03" in printed
    assert _files_holding(data_dir, needles) == {}

    # The same running dashboard: its cached figures are gone, recomputed without the visitor.
    pages = (await reader.get("/api/dashboard/pages", params=RANGE)).json()
    buttons = (await reader.get("/api/dashboard/buttons", params=RANGE)).json()
    assert PAGE not in [row["name"] for row in pages["rows"]]
    assert BUTTON not in [row["name"] for row in buttons["rows"]]
    humans = sum(1 for c in others if not c.is_bot and c.event_type == "click")
    assert pages["total"] == buttons["total"] == humans
    # The funnels were counted again with the configured steps: the others' sessions stay.
    assert (await reader.get("/api/dashboard/funnels", params=RANGE)).json()["rows"] == funnels


def test_erase_of_a_session_in_a_busy_store_leaves_no_byte_of_it(tmp_path: Path) -> None:
    """Many writes with random ids split the id index's pages; none keeps a copy."""
    store = SQLiteClickStore(tmp_path / "clicks.sqlite3")
    store.setup()
    try:
        day = date(2026, 3, 1)
        mine = _fresh(day, 50, 1, session_id=SESSION)
        others = _fresh(day, 20_000, 2)
        for start in range(0, len(others), 500):
            store.write(others[start : start + 500] + mine[start // 500 :: 40][:1])
        store.write(mine)
        erased = store.erase(session_id=SESSION)
    finally:
        store.close()
    assert erased.count == len(mine)
    assert _files_holding(tmp_path, [SESSION, *(c.id for c in mine)]) == {}
    assert erased.notes[0] == "clicks.sqlite3-wal checkpointed and emptied", erased.notes


def test_copies_left_by_earlier_deletes_are_found_and_the_file_rebuilt(tmp_path: Path) -> None:
    """A SQLite built without secure delete leaves an updated row's old cell in free space."""
    path = tmp_path / "clicks.sqlite3"
    store = SQLiteClickStore(path)
    store.setup()
    try:
        day = date(2026, 3, 1)
        mine = _fresh(day, 30, 1, session_id=SESSION)
        others = _fresh(day, 300, 2)
        # Among others' clicks, as a visitor's arrive: deleting a run of rows of theirs
        # alone would merge its pages, dropping the copies this test is about with them.
        store.write(
            [row for i, click in enumerate(mine) for row in (click, *others[10 * i :][:10])]
        )
        with closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA secure_delete = OFF")
            conn.execute("UPDATE clicks SET button = button || ' (a longer label)'")
            conn.commit()
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        erased = store.erase(session_id=SESSION)
    finally:
        store.close()
    assert erased.notes[1:] == (
        "clicks.sqlite3 rebuilt (VACUUM): copies of erased rows were left in it",
    )
    assert _files_holding(tmp_path, [SESSION, *(c.id for c in mine)]) == {}

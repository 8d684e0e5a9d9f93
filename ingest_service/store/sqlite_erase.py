"""Erasing a visitor from the SQLite store so that no byte of theirs stays in its files.

A DELETE alone leaves the rows' bytes behind: in the free space of their pages, in the
WAL until a checkpoint, and in stale copies of cells that earlier page splits moved. So
the rows are deleted with `secure_delete` on (their cells and freed pages are zeroed),
the WAL is checkpointed into the main file and truncated to nothing, and then the files
are searched for the visitor's ids. Where one is still found (a stale copy), the file is
rebuilt with VACUUM and searched again. What is searched for is the erased clicks' ids:
every copy of a row, and every entry of it in the id index, holds its id (a UUID, which
no other value matches by chance, as a short visitor id could).
"""

import mmap
import re
import sqlite3
from datetime import date
from pathlib import Path

from ingest_service.store.base import ErasedClicks, StoreUnavailable

# A NULL id matches nothing: `anonymous_id = NULL` is never true.
_ERASE = "DELETE FROM clicks WHERE anonymous_id = ? OR session_id = ? RETURNING id, event_date"
_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def erase_visitor(
    conn: sqlite3.Connection, path: Path, anonymous_id: str | None, session_id: str | None
) -> ErasedClicks:
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("BEGIN IMMEDIATE")
    try:
        erased = conn.execute(_ERASE, (anonymous_id, session_id)).fetchall()
        conn.execute("COMMIT")
    except sqlite3.Error:
        conn.execute("ROLLBACK")
        raise
    click_ids = {click_id.encode() for click_id, _ in erased}
    notes = [_checkpoint(conn, path)]
    if _traces(path, click_ids):
        conn.execute("VACUUM")
        notes.append(f"{path.name} rebuilt (VACUUM): copies of erased rows were left in it")
        _checkpoint(conn, path)
        if _traces(path, click_ids):
            raise StoreUnavailable(f"SQLite store {path}: the erased rows' ids are still in it")
    days = sorted({date.fromisoformat(day) for _, day in erased})
    return ErasedClicks(count=len(erased), days=tuple(days), notes=tuple(notes))


def _checkpoint(conn: sqlite3.Connection, path: Path) -> str:
    # Waits up to the connection's busy timeout for the readers of older snapshots.
    busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        raise StoreUnavailable(
            f"SQLite store {path}: readers kept the WAL from being emptied; run erase again"
        )
    return f"{path.name}-wal checkpointed and emptied"


def _traces(path: Path, click_ids: set[bytes]) -> bool:
    """Whether the store's files still hold one of the ids, anywhere in their bytes."""
    if not click_ids:
        return False
    for file in (path, path.with_name(path.name + "-wal")):
        if not file.exists() or file.stat().st_size == 0:
            continue
        with (
            file.open("rb") as handle,
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as raw,
        ):
            # One pass for any number of click ids: every UUID in the file, looked up.
            if any(m.group() in click_ids for m in _UUID.finditer(raw)):
                return True
    return False

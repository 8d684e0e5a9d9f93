"""What moto's request recording of a backfill says: calls by API, statements by kind
(an UNLOAD, or a query whose rows come back: SELECT or WITH), bytes PUT under the
lake's summaries and places."""

import base64
import json
from collections import Counter
from typing import Any

import sqlglot
from sqlglot import exp


def from_recording(recording: str) -> dict[str, Any]:
    calls: Counter[str] = Counter()
    statements: Counter[str] = Counter()
    put_bytes: Counter[str] = Counter()
    summary_gets = 0
    for line in recording.splitlines():
        entry = json.loads(line)
        target = entry["headers"].get("X-Amz-Target", "")
        if target:
            calls[target.split(".")[-1]] += 1
            if target.endswith(".StartQueryExecution"):
                query = json.loads(_body(entry))["QueryString"]
                statements["UNLOAD" if query.startswith("UNLOAD") else "SELECT"] += 1
            continue
        # Summaries, and the places the export writes for the regions' join since.
        table = next((t for t in ("/summaries/", "/places/") if t in entry["url"]), None)
        if table is None:
            continue
        if entry["method"] == "PUT":
            put_bytes[table] += len(_body(entry))
        elif entry["method"] == "GET" and table == "/summaries/":
            summary_gets += 1
    return {
        "api_calls": dict(calls),
        "statements": dict(statements),
        "summary_put_bytes": put_bytes["/summaries/"],
        "places_put_bytes": put_bytes["/places/"],
        "summary_get_calls": summary_gets,
    }


def tables_read(statement: str) -> list[str]:
    """The tables a statement reads (its WITH queries' names left out), sorted."""
    tree = sqlglot.parse_one(statement, read="trino")
    local = {cte.alias for cte in tree.find_all(exp.CTE)}
    return sorted({t.name for t in tree.find_all(exp.Table)} - local)


def _body(entry: dict[str, Any]) -> bytes:
    body = entry.get("body") or ""
    return base64.b64decode(body) if entry.get("body_encoded") else body.encode()

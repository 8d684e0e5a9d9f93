"""Clicks per region: coordinates reverse-geocoded offline, else the client's city/country."""

from collections.abc import Iterable

import pyarrow as pa
import reverse_geocode

UNKNOWN = "unknown"


def _place_names(rows: Iterable[dict[str, object]]) -> list[tuple[str, str]]:
    rows = list(rows)
    located = [
        i
        for i, row in enumerate(rows)
        if row["latitude"] is not None and row["longitude"] is not None
    ]
    coordinates = [(rows[i]["latitude"], rows[i]["longitude"]) for i in located]
    # One search for all coordinates: the package's k-d tree answers a batch at once.
    found = reverse_geocode.search(coordinates) if coordinates else []
    names = [(str(row["country"] or UNKNOWN), str(row["city"] or UNKNOWN)) for row in rows]
    for i, place in zip(located, found, strict=True):
        names[i] = (
            place.get("country") or UNKNOWN,
            place.get("state") or place.get("city") or UNKNOWN,
        )
    return names


def to_regions(places: pa.Table) -> pa.Table:
    """From clicks per (latitude, longitude, city, country) to clicks per (country, region)."""
    names = _place_names(places.select(["latitude", "longitude", "city", "country"]).to_pylist())
    table = pa.table(
        {
            "event_date": places.column("event_date"),
            "country": [country for country, _ in names],
            "region": [region for _, region in names],
            "clicks": places.column("clicks"),
            "bot_clicks": places.column("bot_clicks"),
        }
    )
    grouped = table.group_by(["event_date", "country", "region"], use_threads=False).aggregate(
        [("clicks", "sum"), ("bot_clicks", "sum")]
    )
    renamed = grouped.rename_columns({"clicks_sum": "clicks", "bot_clicks_sum": "bot_clicks"})
    # Ordered as the other summaries are, so that a re-run writes the same rows in the same
    # order whatever order the engine returned the places in.
    ordered = renamed.sort_by(
        [
            ("event_date", "ascending"),
            ("clicks", "descending"),
            ("country", "ascending"),
            ("region", "ascending"),
        ]
    )
    return ordered.select(["event_date", "country", "region", "clicks", "bot_clicks"])

"""Places: each day's distinct coordinates with their country and region, for the SQL.

Reverse geocoding is a k-d tree search in Python (the `reverse_geocode` package), which
no SQL engine can run. So before `clicks_by_region` is written, the day's published
clicks are read back, their coordinates only (rounded at intake: a few thousand distinct
pairs a day), and those are written geocoded as the day's partition of the `places`
table; `clicks_by_region` then joins clicks to places in SQL, and the engine writes it
like every other summary. Only a run writing that summary loads the geocoder: the export
and its audit do not.
"""

from collections.abc import Iterable, Sequence
from datetime import date

import pyarrow as pa

from orchestration.assets.catalog import register_days
from orchestration.resources.catalog import Catalog
from orchestration.resources.lake import CLICKS_TABLE, PLACES_TABLE, Lake

# The summary that joins the places.
REGIONS_SUMMARY = "clicks_by_region"
UNKNOWN = "unknown"
COORDINATES = ["latitude", "longitude"]
PLACES_SCHEMA = pa.schema(
    [
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("country", pa.string()),
        ("region", pa.string()),
    ]
)


def publish_places(lake: Lake, catalog: Catalog, days: Sequence[date]) -> None:
    """Writes each day's places from its published clicks, and registers them.

    Each partition is staged and then published whole (`Lake.write_partition`), so a
    reader sees the day's earlier places or the new ones, never a part; a day not passed
    here (one held by its checks) keeps the places it had. A day that has none yet (it
    was exported without them) gets them, so recomputing its regions backfills them.
    """
    catalog.ensure_table(PLACES_TABLE, PLACES_SCHEMA, lake.table_uri(PLACES_TABLE))
    for day in days:
        coordinates = distinct_coordinates(lake.read_columns(CLICKS_TABLE, day, COORDINATES))
        lake.write_partition(PLACES_TABLE, day, places_of(coordinates), PLACES_SCHEMA)
    register_days(catalog, lake, PLACES_TABLE, days)


def distinct_coordinates(batches: Iterable[pa.RecordBatch]) -> pa.Table:
    """The distinct non-null (latitude, longitude) pairs of the batches, deduplicated a
    batch at a time, so that memory follows the distinct pairs, not the rows."""
    parts = [_distinct(pa.Table.from_batches([batch]).select(COORDINATES)) for batch in batches]
    if not parts:
        return pa.schema([PLACES_SCHEMA.field(c) for c in COORDINATES]).empty_table()
    return _distinct(pa.concat_tables(parts))


def _distinct(coordinates: pa.Table) -> pa.Table:
    located = coordinates.drop_null()
    return located.group_by(COORDINATES, use_threads=False).aggregate([])


def places_of(coordinates: pa.Table) -> pa.Table:
    """(latitude, longitude) pairs, none null, with the country and the region (state or
    province, else the nearest city) of the nearest known place."""
    pairs = list(zip(*(coordinates.column(c).to_pylist() for c in COORDINATES), strict=True))
    if not pairs:
        return PLACES_SCHEMA.empty_table()
    # Imported here: the code location, which every Dagster process loads, needs neither
    # it nor scipy. Its first search loads its places and builds its k-d tree (0.6 s of a
    # process, measured here), which only a run writing the regions' summary pays.
    import reverse_geocode

    # One search for all coordinates: the package's k-d tree answers a batch at once.
    found = reverse_geocode.search(pairs)
    names = {
        "country": [place.get("country") or UNKNOWN for place in found],
        "region": [place.get("state") or place.get("city") or UNKNOWN for place in found],
    }
    table = pa.table({**{c: coordinates.column(c) for c in COORDINATES}, **names})
    # Sorted, so that a re-run writes the same file.
    return table.cast(PLACES_SCHEMA).sort_by([(c, "ascending") for c in COORDINATES])

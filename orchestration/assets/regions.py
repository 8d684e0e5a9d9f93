"""Places: each day's distinct coordinates with their country and region, for the SQL.

Reverse geocoding is a k-d tree search in Python (the `reverse_geocode` package), which
no SQL engine can run. So the export, which streams the day's clicks through this process
anyway, collects their distinct coordinates (rounded at intake: a few thousand a day) and
writes them geocoded as the day's partition of the `places` table. `clicks_by_region`
then joins clicks to places in SQL, and Athena writes it like every other summary.
"""

from collections.abc import Iterable, Iterator

import pyarrow as pa

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


class DistinctCoordinates:
    """Passes record batches on, keeping the distinct non-null (latitude, longitude) pairs."""

    def __init__(self) -> None:
        self._parts: list[pa.Table] = []

    def passing(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            self._parts.append(_distinct(pa.Table.from_batches([batch]).select(COORDINATES)))
            yield batch

    def places(self) -> pa.Table:
        """The coordinates seen, each with its country and region."""
        if not self._parts:
            return PLACES_SCHEMA.empty_table()
        return places_of(_distinct(pa.concat_tables(self._parts)))


def _distinct(coordinates: pa.Table) -> pa.Table:
    located = coordinates.drop_null()
    return located.group_by(COORDINATES, use_threads=False).aggregate([])


def places_of(coordinates: pa.Table) -> pa.Table:
    """(latitude, longitude) pairs, none null, with the country and the region (state or
    province, else the nearest city) of the nearest known place."""
    pairs = list(zip(*(coordinates.column(c).to_pylist() for c in COORDINATES), strict=True))
    # Imported here: with scipy it is a quarter of the code location's import, which
    # every Dagster process pays, and only the export uses it.
    import reverse_geocode

    # One search for all coordinates: the package's k-d tree answers a batch at once.
    found = reverse_geocode.search(pairs) if pairs else []
    names = {
        "country": [place.get("country") or UNKNOWN for place in found],
        "region": [place.get("state") or place.get("city") or UNKNOWN for place in found],
    }
    table = pa.table({**{c: coordinates.column(c) for c in COORDINATES}, **names})
    # Sorted, so that a re-run writes the same file.
    return table.cast(PLACES_SCHEMA).sort_by([(c, "ascending") for c in COORDINATES])

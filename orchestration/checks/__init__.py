"""Data-quality checks on a day's clicks: pure functions over Arrow tables and counts.

`contract` holds the blocking ones (ERROR), `trends` the soft ones (WARN) with their
`history`, `freshness` the deadline for yesterday's partition; `export_run` runs them day
by day for `clicks_export`, `specs` turns them into Dagster check specs and results.
"""

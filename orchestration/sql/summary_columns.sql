-- A summary's query with each column cast to the type its table declares, so that both
-- engines write the same Parquet types (DuckDB sums into 128-bit integers, Athena into
-- bigint) and the catalog's columns always match the files.
SELECT ${columns}
FROM (
${query}
) AS summary

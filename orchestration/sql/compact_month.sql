-- One month of a daily summary table: the rows of its compacted copy's partition.
SELECT ${columns}
FROM ${table}
WHERE year = '${year}' AND month = '${month}'

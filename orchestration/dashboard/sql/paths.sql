-- The most taken steps from one page to the next (or to the exit) in the period, with
-- how many page views of the first page there were to leave it from.
WITH steps AS (
    SELECT from_page, to_page, sum(transitions) AS transitions
    FROM ${table}
    WHERE year || '-' || month BETWEEN '${first_month}' AND '${last_month}'
        AND event_date BETWEEN DATE '${period_start}' AND DATE '${last_day}'
    GROUP BY from_page, to_page
)
SELECT
    from_page,
    to_page,
    transitions,
    sum(transitions) OVER (PARTITION BY from_page) AS from_views
FROM steps
ORDER BY transitions DESC, from_page, to_page
LIMIT ${limit}

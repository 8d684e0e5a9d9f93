-- The most clicked values of one column of a summary table, with both periods' totals.
-- ${table} and ${dimension} come from the dashboard's own list, never from a request.
WITH per_value AS (
    SELECT
        ${dimension} AS name,
        sum(CASE WHEN event_date >= DATE '${period_start}' THEN clicks ELSE 0 END) AS clicks,
        sum(CASE WHEN event_date < DATE '${period_start}' THEN clicks ELSE 0 END)
            AS previous_clicks
    FROM ${table}
    WHERE year || '-' || month BETWEEN '${first_month}' AND '${last_month}'
        AND event_date BETWEEN DATE '${first_day}' AND DATE '${last_day}'
    GROUP BY ${dimension}
    -- Values only bots clicked have no human clicks in either period.
    HAVING sum(clicks) > 0
)
SELECT
    name,
    clicks,
    previous_clicks,
    sum(clicks) OVER () AS total,
    sum(previous_clicks) OVER () AS previous_total
FROM per_value
ORDER BY clicks DESC, previous_clicks DESC, name
LIMIT ${limit}

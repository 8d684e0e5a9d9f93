-- How many human sessions lasted how long (two significant digits), in the period and the
-- one before it: the few rows a median is taken from.
SELECT
    CASE WHEN event_date >= DATE '${period_start}' THEN 'period' ELSE 'previous' END AS part,
    duration_s,
    sum(sessions) AS sessions
FROM ${table}
WHERE year || '-' || month BETWEEN '${first_month}' AND '${last_month}'
    AND event_date BETWEEN DATE '${first_day}' AND DATE '${last_day}'
GROUP BY 1, 2

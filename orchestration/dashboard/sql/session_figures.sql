-- Human sessions of the period and of the one before it, from the daily table (a day is
-- one row): how many, and the sums the bounce rate and pages per session divide.
SELECT
    CASE WHEN event_date >= DATE '${period_start}' THEN 'period' ELSE 'previous' END AS part,
    sum(sessions) AS sessions,
    sum(bounces) AS bounces,
    sum(page_views) AS page_views
FROM ${table}
WHERE year || '-' || month BETWEEN '${first_month}' AND '${last_month}'
    AND event_date BETWEEN DATE '${first_day}' AND DATE '${last_day}'
GROUP BY CASE WHEN event_date >= DATE '${period_start}' THEN 'period' ELSE 'previous' END

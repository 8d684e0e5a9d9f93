-- Human sessions of the period and of the one before it: how many, the median duration
-- (approximate, as Athena's approx_percentile is), the share that bounced, page views.
SELECT
    CASE WHEN event_date >= DATE '${period_start}' THEN 'period' ELSE 'previous' END AS part,
    count(*) AS sessions,
    approx_percentile(duration_s, 0.5) AS median_duration_s,
    avg(CASE WHEN bounce THEN 1.0 ELSE 0.0 END) AS bounce_rate,
    avg(CAST(page_views AS DOUBLE)) AS page_views_per_session
FROM ${table}
WHERE year || '-' || month BETWEEN '${first_month}' AND '${last_month}'
    AND event_date BETWEEN DATE '${first_day}' AND DATE '${last_day}'
    AND NOT is_bot
GROUP BY CASE WHEN event_date >= DATE '${period_start}' THEN 'period' ELSE 'previous' END

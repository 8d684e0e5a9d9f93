-- Sessions by source, medium and campaign in the period, beside the previous period.
WITH per_source AS (
    SELECT
        source,
        medium,
        campaign,
        sum(CASE WHEN event_date >= DATE '${period_start}' THEN sessions ELSE 0 END) AS sessions,
        sum(CASE WHEN event_date >= DATE '${period_start}' THEN page_views ELSE 0 END)
            AS page_views,
        sum(CASE WHEN event_date >= DATE '${period_start}' THEN clicks ELSE 0 END) AS clicks,
        sum(CASE WHEN event_date < DATE '${period_start}' THEN sessions ELSE 0 END)
            AS previous_sessions
    FROM ${table}
    WHERE year || '-' || month BETWEEN '${first_month}' AND '${last_month}'
        AND event_date BETWEEN DATE '${first_day}' AND DATE '${last_day}'
    GROUP BY source, medium, campaign
)
SELECT
    source,
    medium,
    campaign,
    sessions,
    page_views,
    clicks,
    previous_sessions,
    sum(sessions) OVER () AS total
FROM per_source
WHERE sessions > 0 OR previous_sessions > 0
ORDER BY sessions DESC, previous_sessions DESC, source, medium, campaign
LIMIT ${limit}

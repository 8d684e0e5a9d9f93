-- Human clicks per hour of the day, in the period and in the one before it.
SELECT
    hour,
    sum(CASE WHEN event_date >= DATE '${period_start}' THEN clicks ELSE 0 END) AS clicks,
    sum(CASE WHEN event_date < DATE '${period_start}' THEN clicks ELSE 0 END) AS previous_clicks
FROM ${table}
WHERE year || '-' || month BETWEEN '${first_month}' AND '${last_month}'
    AND event_date BETWEEN DATE '${first_day}' AND DATE '${last_day}'
GROUP BY hour

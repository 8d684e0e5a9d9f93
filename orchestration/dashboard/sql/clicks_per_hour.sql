-- Human clicks per hour of the day, in the period and in the one before it.
SELECT
    hour,
    sum(CASE WHEN event_date >= DATE '${period_start}' THEN clicks ELSE 0 END) AS clicks,
    sum(CASE WHEN event_date < DATE '${period_start}' THEN clicks ELSE 0 END) AS previous_clicks
FROM clicks_by_hour
WHERE year || '-' || month || '-' || day BETWEEN '${first_day}' AND '${last_day}'
GROUP BY hour

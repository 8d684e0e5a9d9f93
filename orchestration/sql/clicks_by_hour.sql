-- Clicks per UTC hour of arrival per day.
SELECT
    event_date,
    hour(received_at) AS hour,
    count_if(NOT is_bot) AS clicks,
    count_if(is_bot) AS bot_clicks
FROM clicks
WHERE year || '-' || month || '-' || day BETWEEN '${first_day}' AND '${last_day}'
    -- Page views (contract v2) are not clicks; v1 partitions have no event type.
    AND coalesce(event_type, 'click') = 'click'
GROUP BY event_date, hour(received_at)
ORDER BY event_date, hour

-- Clicks per button per day; bots are counted apart, never in `clicks`.
SELECT
    event_date,
    button,
    count_if(NOT is_bot) AS clicks,
    count_if(is_bot) AS bot_clicks
FROM clicks
WHERE year || '-' || month || '-' || day BETWEEN '${first_day}' AND '${last_day}'
    -- Page views (contract v2) are not clicks; v1 partitions have no event type.
    AND coalesce(event_type, 'click') = 'click'
GROUP BY event_date, button
ORDER BY event_date, clicks DESC, button

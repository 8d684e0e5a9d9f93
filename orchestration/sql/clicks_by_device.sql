-- Clicks per device type, browser and operating system per day (parsed from the user agent).
SELECT
    event_date,
    device_type,
    coalesce(browser, 'unknown') AS browser,
    coalesce(os, 'unknown') AS os,
    count_if(NOT is_bot) AS clicks,
    count_if(is_bot) AS bot_clicks
FROM clicks
WHERE year || '-' || month || '-' || day BETWEEN '${first_day}' AND '${last_day}'
    -- Page views (contract v2) are not clicks; v1 partitions have no event type.
    AND coalesce(event_type, 'click') = 'click'
GROUP BY event_date, device_type, coalesce(browser, 'unknown'), coalesce(os, 'unknown')
ORDER BY event_date, clicks DESC, device_type, browser, os

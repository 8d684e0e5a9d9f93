-- Clicks per page per day; the page is the URL without its query string or fragment.
SELECT
    event_date,
    split_part(split_part(page_url, '?', 1), '#', 1) AS page,
    count_if(NOT is_bot) AS clicks,
    count_if(is_bot) AS bot_clicks
FROM clicks
WHERE year || '-' || month || '-' || day BETWEEN '${first_day}' AND '${last_day}'
    -- Page views (contract v2) are not clicks; v1 partitions have no event type.
    AND coalesce(event_type, 'click') = 'click'
GROUP BY event_date, split_part(split_part(page_url, '?', 1), '#', 1)
ORDER BY event_date, clicks DESC, page

-- Clicks per reported place per day: coordinates (already rounded at intake) or the
-- client's city and country. Turned into regions offline, after the query.
SELECT
    event_date,
    latitude,
    longitude,
    city,
    country,
    count_if(NOT is_bot) AS clicks,
    count_if(is_bot) AS bot_clicks
FROM clicks
WHERE year || '-' || month || '-' || day BETWEEN '${first_day}' AND '${last_day}'
    -- Page views (contract v2) are not clicks; v1 partitions have no event type.
    AND coalesce(event_type, 'click') = 'click'
GROUP BY event_date, latitude, longitude, city, country

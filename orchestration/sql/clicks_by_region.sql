-- Clicks per country and region per day. Coordinates (rounded at intake) are looked up in
-- the day's places, geocoded offline just before this runs; a click without them counts
-- under the client's own city and country.
SELECT
    c.event_date,
    coalesce(p.country, c.country, 'unknown') AS country,
    coalesce(p.region, c.city, 'unknown') AS region,
    count_if(NOT c.is_bot) AS clicks,
    count_if(c.is_bot) AS bot_clicks
FROM clicks AS c
LEFT JOIN places AS p
    ON p.year = c.year AND p.month = c.month AND p.day = c.day
    AND p.latitude = c.latitude AND p.longitude = c.longitude
    AND p.year || '-' || p.month || '-' || p.day BETWEEN '${first_day}' AND '${last_day}'
WHERE c.year || '-' || c.month || '-' || c.day BETWEEN '${first_day}' AND '${last_day}'
    -- Page views (contract v2) are not clicks; v1 partitions have no event type.
    AND coalesce(c.event_type, 'click') = 'click'
GROUP BY
    c.event_date,
    coalesce(p.country, c.country, 'unknown'),
    coalesce(p.region, c.city, 'unknown')
ORDER BY event_date, clicks DESC, country, region

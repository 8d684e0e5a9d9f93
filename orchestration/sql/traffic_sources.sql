-- Human sessions, page views and clicks per day by source, medium, campaign and referrer
-- host, from the sessions table (each session once, on the day it started).
SELECT
    event_date,
    source,
    medium,
    coalesce(campaign, '(none)') AS campaign,
    coalesce(referrer_host, '(direct)') AS referrer_host,
    count(*) AS sessions,
    sum(page_views) AS page_views,
    sum(clicks) AS clicks
FROM sessions
WHERE year || '-' || month || '-' || day BETWEEN '${first_day}' AND '${last_day}'
    AND NOT is_bot
GROUP BY event_date, source, medium, coalesce(campaign, '(none)'), coalesce(referrer_host, '(direct)')
ORDER BY event_date, sessions DESC, source, medium, campaign, referrer_host

-- One row per session, on the day it started: when, how long, what was seen and clicked,
-- where it entered and left, whether it bounced, where it came from, and on what device.
-- Events without a session id belong to no session. Bot sessions are kept, flagged.
WITH ${session_events}
SELECT
    session_date AS event_date,
    session_id,
    max(anonymous_id) AS anonymous_id,
    min(client_ts) AS started_at,
    max(client_ts) AS ended_at,
    date_diff('second', min(client_ts), max(client_ts)) AS duration_s,
    count_if(kind = 'pageview') AS page_views,
    count_if(kind = 'click') AS clicks,
    min_by(path, step) AS entry_page,
    max_by(path, step) AS exit_page,
    -- Left after one page without a click (a v1 session of clicks only never bounces).
    count_if(kind = 'pageview') <= 1 AND count_if(kind = 'click') = 0 AS bounce,
    max(referrer_host) AS referrer_host,
    -- The tracker sends the session's landing source with each of its events.
    coalesce(max(utm_source), max(referrer_host), 'direct') AS source,
    coalesce(
        max(utm_medium), CASE WHEN max(referrer_host) IS NOT NULL THEN 'referral' END, 'none'
    ) AS medium,
    max(utm_campaign) AS campaign,
    min_by(device_type, step) AS device_type,
    bool_or(session_is_bot) AS is_bot
FROM session_events
WHERE session_date BETWEEN DATE '${first_day}' AND DATE '${last_day}'
GROUP BY session_date, session_id
ORDER BY event_date, started_at, session_id

-- Sessions per day and clicks per session. A session with any bot click is a bot session,
-- counted apart; clicks sent without a session id are counted, not sessions.
WITH per_session AS (
    SELECT
        event_date,
        session_id,
        count(*) AS clicks,
        bool_or(is_bot) AS is_bot
    FROM clicks
    WHERE year || '-' || month || '-' || day BETWEEN '${first_day}' AND '${last_day}'
        -- Page views (contract v2) are not clicks; v1 partitions have no event type.
        AND coalesce(event_type, 'click') = 'click'
    GROUP BY event_date, session_id
)
SELECT
    event_date,
    count_if(session_id IS NOT NULL AND NOT is_bot) AS sessions,
    coalesce(sum(CASE WHEN session_id IS NOT NULL AND NOT is_bot THEN clicks END), 0)
        AS session_clicks,
    avg(CASE WHEN session_id IS NOT NULL AND NOT is_bot THEN clicks END) AS clicks_per_session,
    max(CASE WHEN session_id IS NOT NULL AND NOT is_bot THEN clicks END)
        AS max_clicks_per_session,
    coalesce(sum(CASE WHEN session_id IS NULL AND NOT is_bot THEN clicks END), 0)
        AS clicks_without_session,
    count_if(session_id IS NOT NULL AND is_bot) AS bot_sessions
FROM per_session
GROUP BY event_date
ORDER BY event_date

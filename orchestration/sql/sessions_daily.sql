-- Sessions per day (the day they started) and their clicks, from the sessions table:
-- until contract v2 this was the `sessions` table, and its columns are kept. Bot sessions
-- counted apart; human clicks sent without a session id are counted from the clicks.
WITH per_day AS (
    SELECT
        event_date,
        count_if(NOT is_bot) AS sessions,
        coalesce(sum(CASE WHEN NOT is_bot THEN clicks END), 0) AS session_clicks,
        avg(CASE WHEN NOT is_bot THEN clicks END) AS clicks_per_session,
        max(CASE WHEN NOT is_bot THEN clicks END) AS max_clicks_per_session,
        coalesce(sum(CASE WHEN NOT is_bot THEN page_views END), 0) AS page_views,
        count_if(NOT is_bot AND bounce) AS bounces,
        coalesce(sum(CASE WHEN NOT is_bot THEN duration_s END), 0) AS duration_s,
        count_if(is_bot) AS bot_sessions
    FROM sessions
    WHERE year || '-' || month || '-' || day BETWEEN '${first_day}' AND '${last_day}'
    GROUP BY event_date
),
without_session AS (
    SELECT event_date, count(*) AS clicks_without_session
    FROM clicks
    WHERE year || '-' || month || '-' || day BETWEEN '${first_day}' AND '${last_day}'
        AND session_id IS NULL
        AND NOT is_bot
        AND coalesce(event_type, 'click') = 'click'
    GROUP BY event_date
)
SELECT
    coalesce(p.event_date, w.event_date) AS event_date,
    coalesce(p.sessions, 0) AS sessions,
    coalesce(p.session_clicks, 0) AS session_clicks,
    p.clicks_per_session,
    p.max_clicks_per_session,
    coalesce(w.clicks_without_session, 0) AS clicks_without_session,
    coalesce(p.page_views, 0) AS page_views,
    coalesce(p.bounces, 0) AS bounces,
    coalesce(p.duration_s, 0) AS duration_s,
    coalesce(p.bot_sessions, 0) AS bot_sessions
FROM per_day AS p
FULL OUTER JOIN without_session AS w ON p.event_date = w.event_date
ORDER BY event_date

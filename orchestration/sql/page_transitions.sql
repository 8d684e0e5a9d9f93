-- The paths: how often a page view of one page was followed, in the same human session,
-- by a page view of the next (or by the end of the session, '(exit)'). On the day the
-- session started.
WITH ${session_events},
views AS (
    SELECT
        session_date,
        path,
        lead(path) OVER (PARTITION BY session_id ORDER BY step) AS next_path
    FROM session_events
    WHERE kind = 'pageview'
        AND NOT session_is_bot
        AND session_date BETWEEN DATE '${first_day}' AND DATE '${last_day}'
)
SELECT
    session_date AS event_date,
    path AS from_page,
    coalesce(next_path, '(exit)') AS to_page,
    count(*) AS transitions
FROM views
GROUP BY session_date, path, coalesce(next_path, '(exit)')
ORDER BY event_date, transitions DESC, from_page, to_page

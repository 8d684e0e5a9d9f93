-- The events of the sessions that started in the range, in order: shared by the journey
-- tables (each query names it after WITH). A session belongs to the day of
-- its first event, so one that spans midnight is counted once, on the day it started:
-- the day before the range is read to know where a session began, the day after to see
-- its end. Bot sessions are marked, not dropped: each table decides.
session_events AS (
    SELECT
        *,
        min(event_date) OVER (PARTITION BY session_id) AS session_date,
        bool_or(is_bot) OVER (PARTITION BY session_id) AS session_is_bot,
        row_number() OVER (PARTITION BY session_id ORDER BY client_ts, received_at, id) AS step
    FROM (
        SELECT
            id,
            session_id,
            anonymous_id,
            coalesce(event_type, 'click') AS kind,
            button,
            -- The page's path: the URL without scheme, host, query or fragment.
            coalesce(regexp_extract(page_url, '^https?://[^/?#]*(/[^?#]*)', 1), '/') AS path,
            client_ts,
            received_at,
            event_date,
            is_bot,
            device_type,
            referrer_host,
            utm_source,
            utm_medium,
            utm_campaign,
            properties
        FROM clicks
        WHERE year || '-' || month || '-' || day BETWEEN '${day_before}' AND '${day_after}'
            AND session_id IS NOT NULL
    )
)

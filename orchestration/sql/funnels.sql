-- Each configured funnel (funnels.toml), per day: how many human sessions reached each
-- step with the steps in order. A session reaches step k at its first event matching k
-- after the event where it reached step k - 1, so no step can count more sessions than
-- the one before it. ${funnel_steps} is the configuration as rows (funnel, step, kind,
-- target); a funnel has at most 8 steps.
WITH ${session_events},
steps (funnel, step, kind, target) AS (VALUES ${funnel_steps}),
matches AS (
    SELECT e.session_date, e.session_id, e.step AS at, s.funnel, s.step
    FROM session_events AS e
    JOIN steps AS s ON (s.kind = 'page' AND e.kind = 'pageview' AND e.path = s.target)
        OR (s.kind = 'button' AND e.kind = 'click' AND e.button = s.target)
        -- A property as `"key":"value"` inside the event's JSON (compact, keys sorted).
        OR (s.kind = 'property' AND strpos(e.properties, s.target) > 0)
    WHERE NOT e.session_is_bot
        AND e.session_date BETWEEN DATE '${first_day}' AND DATE '${last_day}'
),
reached_1 AS (
    SELECT session_date, session_id, funnel, min(at) AS at
    FROM matches
    WHERE step = 1
    GROUP BY session_date, session_id, funnel
),
reached_2 AS (
    SELECT r.session_date, r.session_id, r.funnel, min(m.at) AS at
    FROM reached_1 AS r
    JOIN matches AS m
        ON m.session_id = r.session_id AND m.funnel = r.funnel AND m.step = 2 AND m.at > r.at
    GROUP BY r.session_date, r.session_id, r.funnel
),
reached_3 AS (
    SELECT r.session_date, r.session_id, r.funnel, min(m.at) AS at
    FROM reached_2 AS r
    JOIN matches AS m
        ON m.session_id = r.session_id AND m.funnel = r.funnel AND m.step = 3 AND m.at > r.at
    GROUP BY r.session_date, r.session_id, r.funnel
),
reached_4 AS (
    SELECT r.session_date, r.session_id, r.funnel, min(m.at) AS at
    FROM reached_3 AS r
    JOIN matches AS m
        ON m.session_id = r.session_id AND m.funnel = r.funnel AND m.step = 4 AND m.at > r.at
    GROUP BY r.session_date, r.session_id, r.funnel
),
reached_5 AS (
    SELECT r.session_date, r.session_id, r.funnel, min(m.at) AS at
    FROM reached_4 AS r
    JOIN matches AS m
        ON m.session_id = r.session_id AND m.funnel = r.funnel AND m.step = 5 AND m.at > r.at
    GROUP BY r.session_date, r.session_id, r.funnel
),
reached_6 AS (
    SELECT r.session_date, r.session_id, r.funnel, min(m.at) AS at
    FROM reached_5 AS r
    JOIN matches AS m
        ON m.session_id = r.session_id AND m.funnel = r.funnel AND m.step = 6 AND m.at > r.at
    GROUP BY r.session_date, r.session_id, r.funnel
),
reached_7 AS (
    SELECT r.session_date, r.session_id, r.funnel, min(m.at) AS at
    FROM reached_6 AS r
    JOIN matches AS m
        ON m.session_id = r.session_id AND m.funnel = r.funnel AND m.step = 7 AND m.at > r.at
    GROUP BY r.session_date, r.session_id, r.funnel
),
reached_8 AS (
    SELECT r.session_date, r.session_id, r.funnel, min(m.at) AS at
    FROM reached_7 AS r
    JOIN matches AS m
        ON m.session_id = r.session_id AND m.funnel = r.funnel AND m.step = 8 AND m.at > r.at
    GROUP BY r.session_date, r.session_id, r.funnel
)
SELECT session_date AS event_date, funnel, 1 AS step, count(*) AS sessions
FROM reached_1
GROUP BY session_date, funnel
UNION ALL
SELECT session_date AS event_date, funnel, 2 AS step, count(*) AS sessions
FROM reached_2
GROUP BY session_date, funnel
UNION ALL
SELECT session_date AS event_date, funnel, 3 AS step, count(*) AS sessions
FROM reached_3
GROUP BY session_date, funnel
UNION ALL
SELECT session_date AS event_date, funnel, 4 AS step, count(*) AS sessions
FROM reached_4
GROUP BY session_date, funnel
UNION ALL
SELECT session_date AS event_date, funnel, 5 AS step, count(*) AS sessions
FROM reached_5
GROUP BY session_date, funnel
UNION ALL
SELECT session_date AS event_date, funnel, 6 AS step, count(*) AS sessions
FROM reached_6
GROUP BY session_date, funnel
UNION ALL
SELECT session_date AS event_date, funnel, 7 AS step, count(*) AS sessions
FROM reached_7
GROUP BY session_date, funnel
UNION ALL
SELECT session_date AS event_date, funnel, 8 AS step, count(*) AS sessions
FROM reached_8
GROUP BY session_date, funnel
ORDER BY event_date, funnel, step

-- Weekly cohorts: for each day, the human visitors active that day for the first time in
-- its week, by the week they were first seen and how many weeks later it is. Summed over
-- a week's days, each visitor counts once: the triangle's cells. A visitor is the
-- tracker's anonymous id where the site enables it, else the session. First sightings
-- are read from every earlier day of the sessions table.
WITH visits AS (
    SELECT DISTINCT coalesce(anonymous_id, session_id) AS visitor, event_date
    FROM sessions
    WHERE year || '-' || month || '-' || day <= '${last_day}' AND NOT is_bot
),
weekly AS (
    SELECT
        visitor,
        event_date,
        date_trunc('week', event_date) AS week,
        min(event_date) OVER (PARTITION BY visitor) AS first_seen,
        min(event_date) OVER (PARTITION BY visitor, date_trunc('week', event_date))
            AS first_in_week
    FROM visits
)
SELECT
    event_date,
    CAST(date_trunc('week', first_seen) AS DATE) AS cohort_week,
    date_diff('week', date_trunc('week', first_seen), week) AS week_offset,
    count(*) AS visitors
FROM weekly
WHERE event_date = first_in_week
    AND event_date BETWEEN DATE '${first_day}' AND DATE '${last_day}'
GROUP BY event_date, date_trunc('week', first_seen), date_diff('week', date_trunc('week', first_seen), week)
ORDER BY event_date, cohort_week, week_offset

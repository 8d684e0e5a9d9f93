-- Human sessions per day (the day they started) by duration in seconds, to two
-- significant digits, rounded down (exact under 100 s): a median over any range is
-- read from these few rows a day rather than from one row per session.
SELECT
    event_date,
    CASE
        WHEN duration_s < 100 THEN duration_s
        WHEN duration_s < 1000 THEN duration_s - duration_s % 10
        WHEN duration_s < 10000 THEN duration_s - duration_s % 100
        WHEN duration_s < 100000 THEN duration_s - duration_s % 1000
        ELSE duration_s - duration_s % 10000
    END AS duration_s,
    count(*) AS sessions
FROM sessions
WHERE year || '-' || month || '-' || day BETWEEN '${first_day}' AND '${last_day}'
    AND NOT is_bot
GROUP BY 1, 2
ORDER BY 1, 2

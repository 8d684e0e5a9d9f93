-- Sessions reaching each step of each funnel in the period.
SELECT funnel, step, sum(sessions) AS sessions
FROM ${table}
WHERE year || '-' || month BETWEEN '${first_month}' AND '${last_month}'
    AND event_date BETWEEN DATE '${period_start}' AND DATE '${last_day}'
GROUP BY funnel, step

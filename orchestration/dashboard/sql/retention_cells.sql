-- The retention triangle of the cohorts first seen in the period's weeks: visitors per
-- cohort week and weeks since, counted on the period's days.
SELECT cohort_week, week_offset, sum(visitors) AS visitors
FROM ${table}
WHERE year || '-' || month BETWEEN '${first_month}' AND '${last_month}'
    AND event_date BETWEEN DATE '${period_start}' AND DATE '${last_day}'
    AND cohort_week >= date_trunc('week', DATE '${period_start}')
GROUP BY cohort_week, week_offset
ORDER BY cohort_week, week_offset

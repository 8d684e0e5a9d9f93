-- Human clicks per day over the period and the one before it (one range of partitions).
SELECT
    event_date,
    sum(clicks) AS clicks
FROM ${table}
WHERE year || '-' || month BETWEEN '${first_month}' AND '${last_month}'
    AND event_date BETWEEN DATE '${first_day}' AND DATE '${last_day}'
GROUP BY event_date

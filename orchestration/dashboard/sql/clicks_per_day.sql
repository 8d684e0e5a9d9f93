-- Human clicks per day over the period and the one before it (one range of partitions).
SELECT
    event_date,
    sum(clicks) AS clicks
FROM clicks_by_hour
WHERE year || '-' || month || '-' || day BETWEEN '${first_day}' AND '${last_day}'
GROUP BY event_date

-- Mail the SMTP server refused for good (5xx: no such user, …) is kept with
-- its error and no longer retried.
ALTER TABLE outbox ADD COLUMN failed_at INTEGER;

-- 0010_satisfaction: auto-close of answered tickets nobody answered back,
-- and the customer's rating of how a ticket was handled.

-- The auto-close job needs no index of its own: its batches (answered
-- tickets untouched since a cutoff, oldest first) are a range of
-- tickets_activity (status, updated_at, id) from 0004, in its order; a unit
-- test checks the plan (db/auto_close.rs). The setting is a row of
-- `settings` (key 'auto_close_days'), written when an admin changes it.

-- One row per close that mailed the customer: the two emailed links share
-- one token (SHA-256 at rest), single use, with an expiry. `staff_id` is the
-- member the ticket was assigned to when it closed (whom the rating is for).
-- `good` and `rated_at` stay NULL until the customer chooses; a comment may
-- follow once.
CREATE TABLE ratings (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    hash       BLOB NOT NULL UNIQUE,
    staff_id   INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    good       INTEGER,
    rated_at   INTEGER,
    comment    TEXT
);
CREATE INDEX ratings_ticket ON ratings(ticket_id, rated_at);
-- The per-agent figures of the last 30 days: a range over rated_at.
CREATE INDEX ratings_recent ON ratings(rated_at, staff_id) WHERE rated_at IS NOT NULL;

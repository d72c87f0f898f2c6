-- The support side: staff members, the departments they work on, their
-- sessions, one-time tokens and second factors; tickets gain a priority, an
-- assignee and the times the queue sorts by; messages an author and notes.

CREATE TABLE staff (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
    -- PHC string (Argon2id); NULL until the member sets a password.
    password_hash  TEXT,
    -- TOTP secret (20 bytes); NULL without a second factor. `totp_pending`
    -- holds a secret being enrolled until its first code is confirmed.
    totp_secret    BLOB,
    totp_pending   BLOB,
    -- The last time step accepted: a code is never accepted twice.
    totp_last_step INTEGER,
    notify_replies INTEGER NOT NULL DEFAULT 1,
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL
);

CREATE TABLE staff_departments (
    staff_id      INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    PRIMARY KEY (staff_id, department_id)
) WITHOUT ROWID;

CREATE TABLE staff_sessions (
    hash         BLOB PRIMARY KEY,
    staff_id     INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX staff_sessions_member ON staff_sessions(staff_id);

-- Invitations (72 h) and password resets (24 h): single use, hashed.
CREATE TABLE staff_tokens (
    hash       BLOB PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) WITHOUT ROWID;

CREATE TABLE recovery_codes (
    staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    hash     BLOB NOT NULL,
    used_at  INTEGER,
    PRIMARY KEY (staff_id, hash)
) WITHOUT ROWID;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- 0 low, 1 normal, 2 high, 3 urgent: sorting by priority sorts by value.
ALTER TABLE tickets ADD COLUMN priority INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tickets ADD COLUMN assignee_id INTEGER REFERENCES staff(id);
-- When the customer started waiting for an answer (NULL: not waiting).
ALTER TABLE tickets ADD COLUMN waiting_since INTEGER;
-- When the customer last wrote: a member who opened the ticket before that
-- has it unread.
ALTER TABLE tickets ADD COLUMN customer_wrote_at INTEGER;
UPDATE tickets SET waiting_since = updated_at WHERE status = 'open';
UPDATE tickets SET customer_wrote_at =
    (SELECT max(created_at) FROM messages m WHERE m.ticket_id = tickets.id AND m.author = 'customer');

-- The queue: every filter starts from the status; the sort columns follow,
-- and the id breaks ties for keyset pagination.
CREATE INDEX tickets_waiting ON tickets(status, waiting_since, id);
CREATE INDEX tickets_activity ON tickets(status, updated_at, id);
CREATE INDEX tickets_priority ON tickets(status, priority, waiting_since, id);
CREATE INDEX tickets_assignee ON tickets(assignee_id, status);

-- Replies carry their author; internal notes are never shown to a customer.
ALTER TABLE messages ADD COLUMN staff_id INTEGER REFERENCES staff(id);
ALTER TABLE messages ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;

ALTER TABLE ticket_events ADD COLUMN staff_id INTEGER REFERENCES staff(id);
ALTER TABLE ticket_events ADD COLUMN detail TEXT;

-- When each member last opened each ticket (unread markers).
CREATE TABLE ticket_reads (
    staff_id  INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    read_at   INTEGER NOT NULL,
    PRIMARY KEY (staff_id, ticket_id)
) WITHOUT ROWID;

-- Who has a ticket on screen, and whether they are typing: heartbeats,
-- stale after a few seconds. In the database so every instance sees them.
CREATE TABLE presence (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    staff_id  INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    typing    INTEGER NOT NULL DEFAULT 0,
    seen_at   INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, staff_id)
) WITHOUT ROWID;

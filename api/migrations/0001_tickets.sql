-- The email-channel ticket flow: departments, tickets, their conversation and
-- files, emailed one-time links, guest access, the mail outbox and rate limits.
-- Times are Unix seconds.

CREATE TABLE departments (
    id       INTEGER PRIMARY KEY,
    slug     TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    active   INTEGER NOT NULL DEFAULT 1
);

-- Names and explanations per language; English is the fallback.
CREATE TABLE department_texts (
    department_id INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    lang          TEXT NOT NULL,
    name          TEXT NOT NULL,
    explanation   TEXT NOT NULL,
    PRIMARY KEY (department_id, lang)
) WITHOUT ROWID;

CREATE TABLE tickets (
    id              INTEGER PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE,
    department_id   INTEGER NOT NULL REFERENCES departments(id),
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'account')),
    email           TEXT NOT NULL,
    subject         TEXT NOT NULL,
    status          TEXT NOT NULL
                    CHECK (status IN ('awaiting_confirmation', 'open', 'answered', 'closed')),
    lang            TEXT NOT NULL,
    resend_key_hash BLOB,
    created_at      INTEGER NOT NULL,
    confirmed_at    INTEGER,
    updated_at      INTEGER NOT NULL,
    closed_at       INTEGER
);
CREATE INDEX tickets_unconfirmed ON tickets(created_at) WHERE status = 'awaiting_confirmation';
CREATE INDEX tickets_queue ON tickets(department_id, status, updated_at);

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    author     TEXT NOT NULL CHECK (author IN ('customer', 'agent')),
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX messages_ticket ON messages(ticket_id, id);

-- A file is uploaded first (ticket_id NULL) and claimed by the message that
-- sends it. Unclaimed uploads are purged after 24 hours.
CREATE TABLE uploads (
    id           TEXT PRIMARY KEY,
    stored_name  TEXT NOT NULL UNIQUE,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    ticket_id    INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
    message_id   INTEGER REFERENCES messages(id) ON DELETE CASCADE
);
CREATE INDEX uploads_message ON uploads(message_id);
CREATE INDEX uploads_unclaimed ON uploads(created_at) WHERE ticket_id IS NULL;

-- Emailed one-time links; only the SHA-256 of the token is kept. A token
-- outlives a purged ticket (ticket_id NULL) so its link can say "expired".
CREATE TABLE link_tokens (
    hash       BLOB PRIMARY KEY,
    ticket_id  INTEGER REFERENCES tickets(id) ON DELETE SET NULL,
    purpose    TEXT NOT NULL CHECK (purpose IN ('confirm', 'access')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) WITHOUT ROWID;

-- A browser's guest session (cookie) and the tickets it may open.
CREATE TABLE guest_access (
    session_hash BLOB NOT NULL,
    ticket_id    INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    PRIMARY KEY (session_hash, ticket_id)
) WITHOUT ROWID;

CREATE TABLE ticket_events (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);

-- Durable outgoing mail: written in the same transaction as what caused it.
-- The bodies (which hold one-time links) are cleared once sent.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    ticket_id       INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT,
    body_html       TEXT,
    lang            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at         INTEGER,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL;

-- Sliding-window rate limits, shared by every server instance.
CREATE TABLE rate_events (
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
);
CREATE INDEX rate_events_key ON rate_events(key, at);

INSERT INTO departments (id, slug, position) VALUES
    (1, 'passport', 1),
    (2, 'arbitration', 2),
    (3, 'financial', 3),
    (4, 'technical', 4);

INSERT INTO department_texts (department_id, lang, name, explanation) VALUES
    (1, 'en', 'Passport service', 'Identity documents and verification uploads.'),
    (2, 'en', 'Arbitration service', 'Complaints and disputes with another user of the service.'),
    (3, 'en', 'Financial support', 'Deposits, withdrawals, and payments for goods or services.'),
    (4, 'en', 'Technical support', 'Anything that does not work.');

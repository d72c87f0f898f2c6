-- Customer accounts, and one session and one-time-token layer for staff and
-- customers: `sessions` and `account_tokens` replace `staff_sessions` and
-- `staff_tokens`, with a `realm` saying whose they are.

CREATE TABLE customers (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name           TEXT NOT NULL,
    -- PHC string (Argon2id).
    password_hash  TEXT NOT NULL,
    lang           TEXT NOT NULL,
    notify_replies INTEGER NOT NULL DEFAULT 1,
    -- NULL until the emailed link is opened: the account does not work
    -- before, and an unverified account is dropped after a day.
    verified_at    INTEGER,
    created_at     INTEGER NOT NULL
);

CREATE TABLE sessions (
    hash         BLOB PRIMARY KEY,
    realm        TEXT NOT NULL CHECK (realm IN ('staff', 'customer')),
    principal_id INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    -- "Stay signed in": longer idle and absolute lifetimes.
    remember     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX sessions_principal ON sessions(realm, principal_id);
INSERT INTO sessions (hash, realm, principal_id, created_at, last_seen_at, remember)
    SELECT hash, 'staff', staff_id, created_at, last_seen_at, 1 FROM staff_sessions;
DROP TABLE staff_sessions;

-- Invitations and resets (staff), address verification, resets and address
-- changes (customers): single use, stored hashed. `detail` is the new
-- address of an address change.
CREATE TABLE account_tokens (
    hash         BLOB PRIMARY KEY,
    realm        TEXT NOT NULL CHECK (realm IN ('staff', 'customer')),
    principal_id INTEGER NOT NULL,
    purpose      TEXT NOT NULL CHECK (purpose IN ('invite', 'reset', 'verify', 'email')),
    detail       TEXT,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER
) WITHOUT ROWID;
CREATE INDEX account_tokens_principal ON account_tokens(realm, principal_id);
INSERT INTO account_tokens (hash, realm, principal_id, purpose, created_at, expires_at, used_at)
    SELECT hash, 'staff', staff_id, purpose, created_at, expires_at, used_at FROM staff_tokens;
DROP TABLE staff_tokens;

-- A ticket opened in an account (or joined to it when its address was
-- verified) opens with that account's session only.
ALTER TABLE tickets ADD COLUMN customer_id INTEGER REFERENCES customers(id);
-- The last public answer (a message id), and the last one the account
-- holder has seen: unread when the first is newer. Ids, not times: an
-- answer in the same second as a reading is still news.
ALTER TABLE tickets ADD COLUMN last_answer_id INTEGER;
ALTER TABLE tickets ADD COLUMN customer_seen_id INTEGER;
UPDATE tickets SET last_answer_id =
    (SELECT max(id) FROM messages m
     WHERE m.ticket_id = tickets.id AND m.author = 'agent' AND m.internal = 0);
-- "My tickets": newest activity first, keyset by (updated_at, id).
CREATE INDEX tickets_customer ON tickets(customer_id, updated_at, id);

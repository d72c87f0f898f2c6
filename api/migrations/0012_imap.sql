-- 0012_imap: the built-in IMAP poller (PASOKH_IMAP_URL).

-- Where the poller is in each mailbox it reads (`user@host:port/folder`):
-- the UIDVALIDITY its UIDs belong to and the highest UID it has dealt with,
-- so no message is processed twice across restarts; and a lease, so that of
-- several instances on this database one polls at a time (`holder` is a
-- random name per process, `lease_until` Unix seconds).
CREATE TABLE imap_mailboxes (
    mailbox TEXT PRIMARY KEY,
    uid_validity INTEGER,
    last_uid INTEGER NOT NULL DEFAULT 0,
    holder TEXT NOT NULL,
    lease_until INTEGER NOT NULL
);

-- Messages whose ingest said "try again later" (the database failing, a
-- sender over its rate limit): left in the mailbox and fetched again by UID
-- once `due_at` has come, while newer mail goes on being processed.
CREATE TABLE imap_retries (
    mailbox TEXT NOT NULL REFERENCES imap_mailboxes (mailbox) ON DELETE CASCADE,
    uid INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    PRIMARY KEY (mailbox, uid)
);

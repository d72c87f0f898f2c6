-- Canned replies: shared ones (no owner; admins keep them) and each staff
-- member's own, with one body per language. Placeholders ({reference},
-- {customer_email}, {agent_name}) are stored as typed and filled when a
-- reply is inserted on a ticket.

CREATE TABLE canned_replies (
    id         INTEGER PRIMARY KEY,
    -- NULL: shared with every member.
    owner_id   INTEGER REFERENCES staff(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- The picker's list: the shared ones and the member's own.
CREATE INDEX canned_replies_owner ON canned_replies(owner_id, title);

CREATE TABLE canned_reply_texts (
    canned_id INTEGER NOT NULL REFERENCES canned_replies(id) ON DELETE CASCADE,
    lang      TEXT NOT NULL,
    body      TEXT NOT NULL,
    PRIMARY KEY (canned_id, lang)
) WITHOUT ROWID;

-- 0011_inbound_mail: customers reply to a ticket's email from their mail app.

-- A message that came in by email: marked so agents see it arrived that way,
-- with the whole text as it arrived (quoted history and signature included;
-- the message body holds only the new text) and its Message-ID, so a second
-- delivery of the same email (an MTA retrying) posts nothing twice.
ALTER TABLE messages ADD COLUMN via_email INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN email_original TEXT;
ALTER TABLE messages ADD COLUMN email_message_id TEXT;
CREATE UNIQUE INDEX messages_email_id ON messages(ticket_id, email_message_id)
    WHERE email_message_id IS NOT NULL;

-- Our Message-ID (the part before the @) of every mail about a ticket: a
-- reply's In-Reply-To/References finds the ticket through it, and the next
-- mail of the ticket names the previous one (threading in mail clients).
ALTER TABLE outbox ADD COLUMN message_id TEXT;
CREATE UNIQUE INDEX outbox_message_id ON outbox(message_id) WHERE message_id IS NOT NULL;
CREATE INDEX outbox_thread ON outbox(ticket_id, id) WHERE message_id IS NOT NULL;

-- The key that signs reply addresses lives in `settings` (key 'reply_key'),
-- made at first start: it is in the database, so a backup carries it and
-- every instance signs alike.

-- What a department lets happen by email, each off until an admin turns it
-- on: `agents_reply_by_email` (a staff member of the department answers a
-- ticket from their mail client, through the ticket's signed reply
-- address) and `tickets_by_email` (a message that matches no ticket,
-- sent to the desk's address or <local>+<slug>@<domain>, opens a ticket
-- that waits for confirmation like one opened on the web).
ALTER TABLE departments ADD COLUMN agents_reply_by_email INTEGER NOT NULL DEFAULT 0;
ALTER TABLE departments ADD COLUMN tickets_by_email INTEGER NOT NULL DEFAULT 0;

-- A ticket opened by email is found again by its Message-ID alone (the
-- ticket is not known yet when an MTA redelivers the message): a partial
-- index, as small as the number of messages that came by email.
CREATE INDEX messages_email_opened ON messages(email_message_id)
    WHERE email_message_id IS NOT NULL;

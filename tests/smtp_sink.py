"""The tests' SMTP server: aiosmtpd's Mailbox handler (each accepted message
lands in a Maildir), except that it refuses with 550 any recipient whose
local part starts with "bounce", as a real server refuses an address that
does not exist."""

from aiosmtpd.handlers import Mailbox


class Sink(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0].startswith("bounce"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

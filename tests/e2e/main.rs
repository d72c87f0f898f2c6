//! Tests that drive the built `pasokh` binary from outside: a real process
//! on a free port with its own data folder, a real SMTP server (aiosmtpd),
//! real HTTP clients with cookie jars, and headless Chromium through
//! chromedriver. One test binary, so it links once.

// clippy.toml lets #[test] functions unwrap, but this crate's helpers (the
// harness, the SMTP sink, the browser driver) are plain functions; in a test
// binary a panic is a failed test with its location, which is what they want.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test binary: a panic is a test failure"
)]

mod account_kit;
mod chrome;
mod console_kit;
mod harness;
mod imap_server;
mod smtp;

mod account_access;
mod account_browser;
mod account_changes;
mod account_hijack;
mod account_limits;
mod account_security;
mod account_tickets;
mod account_tokens;
mod accounts;
mod api_flow;
mod auto_close;
mod backup;
mod browser;
mod bundle;
mod connections;
mod console_access;
mod console_auth;
mod console_browser;
mod console_canned;
mod console_canned_sharing;
mod console_flow;
mod console_keys;
mod console_pages;
mod console_search;
mod console_search_browser;
mod conversation;
mod department_forms;
mod department_forms_browser;
mod durability;
mod files;
mod first_load;
mod health;
mod mail;
mod mail_imap;
mod mail_ingest;
mod mail_ingest_browser;
mod mail_rules;
mod mail_rules_browser;
mod observability;
mod outbox;
mod queue_scale;
mod ratings;
mod ratings_browser;
mod security;
mod seed;
mod startup;
mod ticket_first_screen;
mod ticket_page;
mod tidy;
mod upgrade;

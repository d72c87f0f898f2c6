//! Tests that drive the built `pasokh` binary from outside: a real process
//! on a free port with its own data folder, a real SMTP server (aiosmtpd),
//! real HTTP clients with cookie jars, and headless Chromium through
//! chromedriver. One test binary, so it links once.

mod chrome;
mod harness;
mod smtp;

mod api_flow;
mod browser;
mod bundle;
mod durability;
mod files;
mod security;

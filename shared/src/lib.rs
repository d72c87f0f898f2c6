//! Everything the browser and the server must agree on: limits, validation
//! rules, the JSON shapes of the API and the translated strings.
//!
//! Invariant: this crate does no IO and has no dependency that cannot compile
//! to wasm32, so the same `parse` runs as the user types and on the server.

pub mod account;
pub mod api;
pub mod console;
pub mod digits;
pub mod forms;
pub mod html;
pub mod i18n;
pub mod limits;
pub mod pages;
pub mod satisfaction;
pub mod text;
pub mod validate;

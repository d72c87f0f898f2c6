//! The staff console, compiled to wasm32 and embedded in the `pasokh`
//! binary beside the customer portal, as a bundle of its own (served under
//! `/console`). `app.rs` is the place to start: the routes and the frame.
//!
//! The customer app's library (`frontend`'s `lib.rs`) brings the language
//! and `Intl` formatting, the request helpers, the upload, the attachments
//! drop zone and the notice: one behaviour on both sides, while each bundle
//! holds only its own pages.

mod api;
mod app;
mod components;
mod i18n;
mod labels;
mod live;
mod pages;
mod session;
mod shortcuts;

fn main() {
    frontend::start::mount(app::App);
}

//! What the customer portal and the staff console share in the browser: the
//! language and its `Intl` formatting, the API error and request helpers,
//! the upload, the components both sides show alike, the frame's language
//! switcher, what a page loading one thing shows (`shown`) and how an app
//! starts in short tasks behind the static shell (`start`). The customer
//! app (`main.rs`) and `console` both link this library; nothing here
//! names a console text or path, so the customer's bundle still holds no
//! console code (tests/e2e/bundle.rs).

pub mod components;
pub mod frame;
pub mod i18n;
pub mod net;
pub mod shown;
pub mod start;
pub mod upload;

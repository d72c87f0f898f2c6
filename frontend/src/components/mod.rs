//! Widgets shared by several pages.

pub mod attachments;
pub mod field;
pub mod notice;

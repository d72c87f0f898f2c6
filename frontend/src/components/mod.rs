//! Widgets shared by several pages.

pub mod answers;
pub mod attachments;
pub mod field;
pub mod notice;

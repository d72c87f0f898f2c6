//! Widgets shared by several pages. The drop zone and the notice are the
//! customer app's own files, compiled in as they are: one upload pipeline
//! and one way of announcing messages on both sides.

#[allow(
    dead_code,
    reason = "the customer app's component: the console does not restore drafts"
)]
#[path = "../../../frontend/src/components/attachments.rs"]
pub mod attachments;
pub mod field;
#[path = "../../../frontend/src/components/notice.rs"]
pub mod notice;
pub mod select;

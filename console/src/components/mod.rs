//! Widgets shared by several pages. The drop zone, the field and the notice
//! are the customer app's, from the `frontend` library: one upload pipeline,
//! one labelled input and one way of announcing messages on both sides.

pub use frontend::components::{attachments, field, notice};
pub mod select;

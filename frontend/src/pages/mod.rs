//! One file per page.

pub mod account;
pub mod find;
pub mod home;
pub mod link;
pub mod not_found;
pub mod rate;
pub mod sent;
pub mod ticket;
pub mod wizard;

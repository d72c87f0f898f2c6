//! One file (or folder) per page of the console.

pub mod canned;
pub mod departments;
pub mod not_found;
pub mod password;
pub mod queue;
pub mod security;
pub mod sign_in;
pub mod staff;
pub mod ticket;

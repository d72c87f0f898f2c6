//! Staff authentication: passwords, the optional second factor, and the
//! session cookie. Sessions live in the database (several instances may
//! serve one desk); the cookie holds a 256-bit token whose SHA-256 is the
//! key.

pub mod password;
pub mod session;
pub mod totp;

//! Signing in and out, setting a password, the second factor and the
//! member's preferences.

use std::future::Future;

use shared::console::{Me, RecoveryCodes, SetPassword, SignIn, TotpConfirm, TotpEnrolment};

use super::{ApiError, get, post, post_accepted};

/// `POST /api/console/session`: signs in; the cookie is set by the answer.
pub fn sign_in(request: &SignIn) -> impl Future<Output = Result<Me, ApiError>> + use<> {
    post("/api/console/session", request)
}

/// Ends this browser's session.
pub fn sign_out() -> impl Future<Output = Result<(), ApiError>> + use<> {
    post_accepted("/api/console/session/end", &())
}

/// Ends every session of the member, this one included.
pub fn sign_out_everywhere() -> impl Future<Output = Result<(), ApiError>> + use<> {
    post_accepted("/api/console/session/end-all", &())
}

/// Who is signed in; `signed_out` when nobody is.
pub fn me() -> impl Future<Output = Result<Me, ApiError>> + use<> {
    get("/api/console/me")
}

/// Sets the password with the one-time token of an invitation or a reset.
pub fn set_password(request: &SetPassword) -> impl Future<Output = Result<(), ApiError>> + use<> {
    post_accepted("/api/console/password", request)
}

/// Starts enrolling an authenticator app: a new secret, not yet in force.
pub fn totp_start() -> impl Future<Output = Result<TotpEnrolment, ApiError>> + use<> {
    post("/api/console/totp", &())
}

/// The first code from the app turns the second factor on.
pub fn totp_confirm(
    request: &TotpConfirm,
) -> impl Future<Output = Result<RecoveryCodes, ApiError>> + use<> {
    post("/api/console/totp/confirm", request)
}

pub fn totp_disable(request: &TotpConfirm) -> impl Future<Output = Result<(), ApiError>> + use<> {
    post_accepted("/api/console/totp/disable", request)
}

/// Whether to be emailed when a customer answers a ticket assigned to me.
pub fn set_notify_replies(on: bool) -> impl Future<Output = Result<Me, ApiError>> + use<> {
    post(
        "/api/console/preferences",
        &serde_json::json!({ "notify_replies": on }),
    )
}

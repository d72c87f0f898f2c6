//! Signing in and out, setting a password from a one-time link, the second
//! factor, and the member's own preferences.
//!
//! Sign-in answers the same `sign_in_failed`, after the same Argon2 work,
//! whether the address is unknown, the password wrong or the member
//! deactivated; it is limited per client address and per address tried,
//! and every attempt is logged with the client address.

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use shared::{
    console::{Me, RecoveryCodes, SetPassword, SignIn, TotpConfirm, TotpEnrolment},
    validate::{Field, Problem},
};

use super::{Enrolling, Staff, secure};
use crate::{
    AppState,
    auth::{password, session, totp},
    db::{
        self, credentials,
        rate::Limit,
        staff::{self, Member},
    },
    error::{Error, Result},
    routes::{ApiJson, client::ClientIp},
};

const SIGN_IN_PER_IP: Limit = Limit::per_hour(30);
const SIGN_IN_PER_ACCOUNT: Limit = Limit::per_hour(10);
const PASSWORD_SET_PER_IP: Limit = Limit::per_hour(20);
const CODE_CHECK_PER_MEMBER: Limit = Limit::per_hour(10);

/// Who the member is, as the console needs it.
pub async fn me(state: &AppState, member: Member) -> Result<Me> {
    state
        .db
        .read(move |conn| {
            let departments =
                staff::department_slugs(conn, (!member.is_admin()).then_some(member.id))?;
            let must_enrol = member.totp_secret.is_none() && credentials::require_totp(conn)?;
            Ok(Me {
                id: member.id,
                email: member.email,
                name: member.name,
                role: member.role,
                departments,
                totp_enabled: member.totp_secret.is_some(),
                must_enrol_totp: must_enrol,
                notify_replies: member.notify_replies,
            })
        })
        .await
}

/// Runs the Argon2 check off the async runtime: it takes tens of milliseconds.
async fn verify(password: String, stored: Option<String>) -> Result<bool> {
    tokio::task::spawn_blocking(move || password::verify(&password, stored.as_deref())).await?
}

pub async fn session_create(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    ApiJson(sign_in): ApiJson<SignIn>,
) -> Result<Response> {
    let email = sign_in.email.trim().to_lowercase();
    super::super::limit(
        &state,
        vec![
            (format!("signin:ip:{client}"), SIGN_IN_PER_IP),
            (format!("signin:account:{email}"), SIGN_IN_PER_ACCOUNT),
        ],
    )
    .await
    .inspect_err(|_| tracing::warn!(client, "sign-in refused: rate limit"))?;
    let lookup = email.clone();
    let member = state
        .db
        .read(move |conn| staff::by_email(conn, &lookup))
        .await?;
    let stored = member.as_ref().and_then(|m| m.password_hash.clone());
    let password_ok = verify(sign_in.password, stored).await?;
    let member = match member {
        Some(member) if password_ok && member.active => member,
        _ => {
            tracing::warn!(client, "sign-in failed");
            return Err(Error::SignInFailed);
        }
    };
    if let Some(secret) = member.totp_secret.clone() {
        let Some(code) = sign_in.code.filter(|c| !c.trim().is_empty()) else {
            return Err(Error::CodeRequired);
        };
        if !second_factor(&state, &member, &secret, &code).await? {
            tracing::warn!(
                client,
                member = member.id,
                "sign-in failed: wrong second-factor code"
            );
            return Err(Error::SignInFailed);
        }
    }
    // A new session at every sign-in; the one this browser had ends.
    let previous = session::token(&headers, secure(&state));
    let member_id = member.id;
    let token = state
        .db
        .write(move |conn| {
            if let Some(previous) = &previous {
                credentials::end_session(conn, previous)?;
            }
            credentials::create_session(conn, member_id, db::now())
        })
        .await?;
    tracing::info!(client, member = member_id, "signed in");
    let mut response = Json(me(&state, member).await?).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session::set_cookie(&token, secure(&state)),
    );
    Ok(response)
}

/// A TOTP code (each accepted once) or an unused recovery code.
async fn second_factor(
    state: &AppState,
    member: &Member,
    secret: &[u8],
    code: &str,
) -> Result<bool> {
    let (member_id, last_step) = (member.id, member.totp_last_step);
    let now = u64::try_from(db::now()).unwrap_or_default();
    if let Some(step) = totp::accept(secret, code, now, last_step)? {
        // Recorded in a write that re-checks the step, so two requests
        // racing with the same code cannot both pass.
        return state
            .db
            .write(move |conn| {
                let current = staff::by_id(conn, member_id)?.and_then(|m| m.totp_last_step);
                if current.is_some_and(|last| last >= step) {
                    return Ok(false);
                }
                credentials::set_totp_last_step(conn, member_id, step)?;
                Ok(true)
            })
            .await;
    }
    let hash = totp::recovery_hash(code);
    state
        .db
        .write(move |conn| credentials::use_recovery_code(conn, member_id, &hash, db::now()))
        .await
}

fn signed_out(state: &AppState) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie(secure(state)));
    response
}

pub async fn session_end(
    State(state): State<AppState>,
    Enrolling(staff): Enrolling,
) -> Result<Response> {
    let token = staff.token;
    state
        .db
        .write(move |conn| credentials::end_session(conn, &token))
        .await?;
    tracing::info!(member = staff.member.id, "signed out");
    Ok(signed_out(&state))
}

pub async fn sessions_end_all(
    State(state): State<AppState>,
    Enrolling(staff): Enrolling,
) -> Result<Response> {
    let member_id = staff.member.id;
    state
        .db
        .write(move |conn| credentials::end_all_sessions(conn, member_id))
        .await?;
    tracing::info!(member = member_id, "signed out everywhere");
    Ok(signed_out(&state))
}

pub async fn me_show(
    State(state): State<AppState>,
    Enrolling(staff): Enrolling,
) -> Result<Json<Me>> {
    Ok(Json(me(&state, staff.member).await?))
}

/// Sets a password with an invitation or reset token. The password is
/// checked before the token is used up, so a refused password can be fixed
/// and sent again with the same link.
pub async fn password_set(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(body): ApiJson<SetPassword>,
) -> Result<StatusCode> {
    super::super::limit(
        &state,
        vec![(format!("password:ip:{client}"), PASSWORD_SET_PER_IP)],
    )
    .await?;
    let token = body.token.trim().to_owned();
    let peek = token.clone();
    let member = state
        .db
        .read(move |conn| {
            let staff_id = credentials::token_owner(conn, &peek, db::now())?;
            staff::by_id(conn, staff_id)?.ok_or(Error::LinkInvalid)
        })
        .await
        .inspect_err(|error| tracing::warn!(client, ?error, "password link refused"))?;
    password::check_new(&body.password, &member.email)
        .map_err(|problem| Error::field(Field::Password, problem))?;
    let secret = body.password;
    let hash = tokio::task::spawn_blocking(move || password::hash(&secret)).await??;
    state
        .db
        .write(move |conn| {
            let staff_id = credentials::redeem_token(conn, &token, db::now())?;
            staff::set_password(conn, staff_id, &hash)
        })
        .await?;
    tracing::info!(client, member = member.id, "password set");
    Ok(StatusCode::NO_CONTENT)
}

/// Starts enrolling a second factor: a new secret, kept pending until
/// `totp_confirm` proves the authenticator app has it.
pub async fn totp_enrol(
    State(state): State<AppState>,
    Enrolling(staff): Enrolling,
) -> Result<Json<TotpEnrolment>> {
    let secret = totp::new_secret()?;
    let (base32, uri) = totp::enrolment(&secret, &staff.member.email)?;
    let member_id = staff.member.id;
    state
        .db
        .write(move |conn| credentials::set_totp_pending(conn, member_id, &secret))
        .await?;
    Ok(Json(TotpEnrolment {
        secret: base32,
        uri,
    }))
}

pub async fn totp_confirm(
    State(state): State<AppState>,
    Enrolling(staff): Enrolling,
    ApiJson(body): ApiJson<TotpConfirm>,
) -> Result<Json<RecoveryCodes>> {
    let member = staff.member;
    super::super::limit(
        &state,
        vec![(format!("totp:member:{}", member.id), CODE_CHECK_PER_MEMBER)],
    )
    .await?;
    let pending = member.totp_pending.clone().ok_or(Error::BadRequest)?;
    let now = u64::try_from(db::now()).unwrap_or_default();
    let Some(step) = totp::accept(&pending, &body.code, now, None)? else {
        return Err(Error::field(Field::Code, Problem::Invalid));
    };
    let codes = totp::recovery_codes()?;
    let hashes: Vec<Vec<u8>> = codes.iter().map(|c| totp::recovery_hash(c)).collect();
    let member_id = member.id;
    state
        .db
        .write(move |conn| {
            credentials::confirm_totp(conn, member_id, step)?;
            credentials::replace_recovery_codes(conn, member_id, &hashes)
        })
        .await?;
    tracing::info!(member = member_id, "second factor enrolled");
    Ok(Json(RecoveryCodes { codes }))
}

/// Turns the second factor off; needs a current code (or a recovery code).
pub async fn totp_disable(
    State(state): State<AppState>,
    Staff { member, .. }: Staff,
    ApiJson(body): ApiJson<TotpConfirm>,
) -> Result<StatusCode> {
    super::super::limit(
        &state,
        vec![(format!("totp:member:{}", member.id), CODE_CHECK_PER_MEMBER)],
    )
    .await?;
    let secret = member.totp_secret.clone().ok_or(Error::BadRequest)?;
    if !second_factor(&state, &member, &secret, &body.code).await? {
        return Err(Error::field(Field::Code, Problem::Invalid));
    }
    let member_id = member.id;
    state
        .db
        .write(move |conn| credentials::disable_totp(conn, member_id))
        .await?;
    tracing::info!(member = member_id, "second factor removed");
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct Preferences {
    notify_replies: bool,
}

pub async fn preferences_update(
    State(state): State<AppState>,
    Staff { member, .. }: Staff,
    ApiJson(body): ApiJson<Preferences>,
) -> Result<Json<Me>> {
    let member_id = member.id;
    state
        .db
        .write(move |conn| staff::set_notify_replies(conn, member_id, body.notify_replies))
        .await?;
    let updated = state
        .db
        .read(move |conn| staff::by_id(conn, member_id))
        .await?
        .ok_or(Error::SignedOut)?;
    Ok(Json(me(&state, updated).await?))
}

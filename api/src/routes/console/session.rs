//! Signing in and out, setting a password from a one-time link, the second
//! factor, and the member's own preferences.
//!
//! Sign-in answers the same `sign_in_failed`, after the same Argon2 work,
//! whether the address is unknown, the password wrong or the member
//! deactivated; the limits and the session are `routes::sign_in`'s, which
//! customers use too; every attempt is logged with the client address.

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

use super::{Enrolling, Staff};
use crate::{
    AppState,
    auth::{password, session::Realm, totp},
    db::{
        self,
        auth::{self, TokenPurpose},
        credentials,
        rate::Limit,
        staff::{self, Member},
    },
    error::{Error, Result},
    routes::{ApiJson, client::ClientIp, sign_in},
};

/// The one-time links that set a member's password.
const STAFF_LINKS: &[TokenPurpose] = &[TokenPurpose::Invite, TokenPurpose::Reset];
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

pub async fn session_create(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    ApiJson(sign_in): ApiJson<SignIn>,
) -> Result<Response> {
    let member = sign_in::check_password(
        &state,
        Realm::Staff,
        &client,
        &sign_in.email,
        sign_in.password,
        |conn, email| {
            Ok(staff::by_email(conn, email)?.map(|m| {
                let hash = m.password_hash.clone();
                (m, hash)
            }))
        },
    )
    .await?;
    let Some(member) = member.filter(|member| member.active) else {
        tracing::warn!(client, "sign-in failed");
        return Err(Error::SignInFailed);
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
    let cookie = sign_in::start_session(&state, Realm::Staff, &headers, member.id, true).await?;
    tracing::info!(client, member = member.id, "signed in");
    let mut response = Json(me(&state, member).await?).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
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

pub async fn session_end(
    State(state): State<AppState>,
    Enrolling(staff): Enrolling,
) -> Result<Response> {
    tracing::info!(member = staff.member.id, "signed out");
    sign_in::sign_out(&state, Realm::Staff, staff.token).await
}

pub async fn sessions_end_all(
    State(state): State<AppState>,
    Enrolling(staff): Enrolling,
) -> Result<Response> {
    tracing::info!(member = staff.member.id, "signed out everywhere");
    sign_in::sign_out_everywhere(&state, Realm::Staff, staff.member.id).await
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
            let token = auth::peek_token(conn, Realm::Staff, STAFF_LINKS, &peek, db::now())?;
            staff::by_id(conn, token.principal_id)?.ok_or(Error::LinkInvalid)
        })
        .await
        .inspect_err(|error| tracing::warn!(client, ?error, "password link refused"))?;
    password::check_new(&body.password, &member.email)
        .map_err(|problem| Error::field(Field::Password, problem))?;
    let hash = sign_in::hash(body.password).await?;
    state
        .db
        .write(move |conn| {
            let token = auth::redeem_token(conn, Realm::Staff, STAFF_LINKS, &token, db::now())?;
            staff::set_password(conn, token.principal_id, &hash)
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

//! Signing up, opening the emailed link that verifies an address (a new
//! account's, or an account's new one), and asking for that link again.
//!
//! Sign-up answers 202 alike whether or not the address has an account, and
//! in the same time: the password is hashed before the database is looked
//! at, and either way one write queues one mail (the link, or "this address
//! has an account already"). Per-mailbox limits are silent, and count only
//! when mail would go out, so a stranger cannot use up Bob's share.
//!
//! A sign-up for an address whose account is still pending starts it over
//! (whoever opens the newest link owns the address), but the one opening
//! the link cannot tell whose password the account now has. So when the
//! password differs from the pending one, the account keeps none that
//! works: the link still verifies the address and signs its opener in, and
//! a password is set with "forgot password". Neither author of a contested
//! sign-up gets in with a password alone.

use argon2::{PasswordHash, password_hash::Output};
use axum::{extract::State, http::HeaderMap, http::StatusCode, response::Response};
use shared::{
    account::{EmailOnly, SignUp, Token, check_name},
    validate::{Field, FieldError, Problem},
};

use super::{SameOrigin, signed_in_as};
use crate::{
    AppState,
    auth::{password, session::Realm},
    db::{
        self,
        auth::{self, TokenPurpose},
        customers::{self, NewCustomer},
        rate::{self, Limit},
    },
    error::{Error, Result},
    mail::{
        account::{self as account_mail, AccountMail},
        address::Recipient,
    },
    routes::{ApiJson, client::ClientIp, limit, sign_in},
    secrets,
};

const SIGN_UP_PER_IP: Limit = Limit::per_hour(10);
const SIGN_UP_PER_MAILBOX: Limit = Limit::per_hour(3);
const VERIFY_PER_IP: Limit = Limit::per_hour(30);
const RESEND_PER_IP: Limit = Limit::per_hour(10);
const RESEND_PER_MAILBOX: Limit = Limit::per_hour(3);

/// What the emailed verification links are for.
const ADDRESS_LINKS: &[TokenPurpose] = &[TokenPurpose::Verify, TokenPurpose::Email];

pub async fn sign_up_create(
    _: SameOrigin,
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(body): ApiJson<SignUp>,
) -> Result<StatusCode> {
    limit(
        &state,
        vec![(format!("signup:ip:{client}"), SIGN_UP_PER_IP)],
    )
    .await
    .inspect_err(|_| tracing::warn!(client, "sign-up refused: rate limit"))?;
    let email = Recipient::parse(&body.email);
    let typed = email.as_ref().map_or(body.email.trim(), |r| r.as_str());
    let checked = [
        (Field::Email, email.as_ref().err().copied()),
        (Field::Name, check_name(&body.name).err()),
        (
            Field::Password,
            password::check_new(&body.password, typed).err(),
        ),
    ];
    let errors: Vec<FieldError> = checked
        .into_iter()
        .filter_map(|(field, problem)| problem.map(|problem| FieldError { field, problem }))
        .collect();
    let email = match email {
        Ok(email) if errors.is_empty() => email,
        _ => {
            tracing::warn!(client, ?errors, "sign-up refused: invalid fields");
            return Err(Error::Validation(errors));
        }
    };
    // Hashed first, whether or not the address has an account; then the
    // password is checked against a pending account's (a dummy hash when
    // there is none): every answer takes two Argon2 runs and one write.
    let hash = sign_in::hash(body.password.clone()).await?;
    let lookup = email.as_str().to_owned();
    let pending = state
        .db
        .read(move |conn| {
            Ok(customers::by_email(conn, &lookup)?
                .filter(|c| !c.verified)
                .map(|c| c.password_hash))
        })
        .await?;
    let same_password = sign_in::verify(body.password, pending.clone()).await?;
    let contested_hash = unmatchable(&hash)?;
    let name = body.name.trim().to_owned();
    let lang = body.lang;
    let public_url = state.config.public_url.clone();
    let write_client = client.clone();
    let outcome = state
        .db
        .write(move |conn| {
            let now = db::now();
            let mailbox = format!("signup:mailbox:{}", email.mailbox());
            // Checked before the account is touched: a sign-up that sends
            // no new link must not change what the last link verifies.
            if !rate::take(conn, &mailbox, SIGN_UP_PER_MAILBOX, now)? {
                return Ok("mailbox limit reached; nothing sent");
            }
            let now_pending = customers::by_email(conn, email.as_str())?
                .filter(|c| !c.verified)
                .map(|c| c.password_hash);
            let contested = now_pending.is_some() && !(same_password && now_pending == pending);
            if contested {
                tracing::warn!(
                    client = write_client,
                    "sign-up over a pending one with another password: no password will work"
                );
            }
            let new = NewCustomer {
                email: email.as_str(),
                name: &name,
                password_hash: if contested { &contested_hash } else { &hash },
                lang,
                now,
            };
            match customers::insert_unverified(conn, &new)? {
                Some(id) => {
                    let token = auth::issue_token(
                        conn,
                        Realm::Customer,
                        id,
                        TokenPurpose::Verify,
                        None,
                        now,
                    )?;
                    let link = format!("{public_url}/account/verify#{token}");
                    account_mail::queue(
                        conn,
                        AccountMail::Verify,
                        email.as_str(),
                        &link,
                        lang,
                        now,
                    )?;
                    Ok("verification link queued")
                }
                None => {
                    let lang = customers::by_email(conn, email.as_str())?.map_or(lang, |c| c.lang);
                    let link = format!("{public_url}/account/forgot");
                    account_mail::queue(
                        conn,
                        AccountMail::Exists,
                        email.as_str(),
                        &link,
                        lang,
                        now,
                    )?;
                    Ok("address has an account; notice queued")
                }
            }
        })
        .await?;
    state.mail_wake.notify_one();
    tracing::info!(client, outcome, "sign-up");
    Ok(StatusCode::ACCEPTED)
}

/// A PHC string of the same shape as `phc` that no password matches: its
/// output replaced by random bytes.
fn unmatchable(phc: &str) -> Result<String> {
    let mut parsed =
        PasswordHash::new(phc).map_err(|e| Error::internal(format!("new password hash: {e}")))?;
    let random = secrets::random_bytes::<32>()?;
    parsed.hash = Some(
        Output::new(&random).map_err(|e| Error::internal(format!("random hash output: {e}")))?,
    );
    Ok(parsed.to_string())
}

/// Opens a verification link: a new account's (the account starts working
/// and takes in the tickets its address opened before) or an account's new
/// address. Either way this browser is signed in.
pub async fn verify_create(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Token>,
) -> Result<Response> {
    limit(&state, vec![(format!("verify:ip:{client}"), VERIFY_PER_IP)])
        .await
        .inspect_err(|_| tracing::warn!(client, "verification refused: rate limit"))?;
    let customer = state
        .db
        .write(move |conn| {
            let now = db::now();
            let token = auth::redeem_token(conn, Realm::Customer, ADDRESS_LINKS, &body.token, now)?;
            let id = token.principal_id;
            match (token.purpose, token.detail) {
                (TokenPurpose::Verify, _) => customers::verify(conn, id, now)?,
                (TokenPurpose::Email, Some(address)) => {
                    if !customers::change_email(conn, id, &address)? {
                        return Err(Error::field(Field::Email, Problem::Taken));
                    }
                }
                _ => return Err(Error::LinkInvalid),
            }
            customers::by_id(conn, id)?.ok_or(Error::LinkInvalid)
        })
        .await
        .inspect_err(|error| tracing::warn!(client, ?error, "verification link refused"))?;
    let cookie =
        sign_in::start_session(&state, Realm::Customer, &headers, customer.id, false).await?;
    tracing::info!(
        client,
        customer = customer.id,
        "customer address verified; signed in"
    );
    signed_in_as(&state, customer, cookie).await
}

/// A new verification link for an account not verified yet; 202 whatever
/// the address, so it tells no one whether it has an account.
pub async fn verify_resend(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(body): ApiJson<EmailOnly>,
) -> Result<StatusCode> {
    limit(&state, vec![(format!("resend:ip:{client}"), RESEND_PER_IP)])
        .await
        .inspect_err(|_| tracing::warn!(client, "verification resend refused: rate limit"))?;
    let email = Recipient::parse(&body.email).ok();
    let public_url = state.config.public_url.clone();
    let sent = state
        .db
        .write(move |conn| {
            let now = db::now();
            let Some(email) = email else {
                return Ok(false);
            };
            let Some(customer) = customers::by_email(conn, email.as_str())? else {
                return Ok(false);
            };
            let mailbox = format!("resend:mailbox:{}", email.mailbox());
            if customer.verified || !rate::take(conn, &mailbox, RESEND_PER_MAILBOX, now)? {
                return Ok(false);
            }
            let token = auth::issue_token(
                conn,
                Realm::Customer,
                customer.id,
                TokenPurpose::Verify,
                None,
                now,
            )?;
            let link = format!("{public_url}/account/verify#{token}");
            account_mail::queue(
                conn,
                AccountMail::Verify,
                &customer.email,
                &link,
                customer.lang,
                now,
            )?;
            Ok(true)
        })
        .await?;
    if sent {
        state.mail_wake.notify_one();
    }
    tracing::info!(client, sent, "verification link resend");
    Ok(StatusCode::ACCEPTED)
}

#[cfg(test)]
mod tests {
    use super::unmatchable;
    use crate::auth::password;

    #[test]
    fn an_unmatchable_hash_parses_and_matches_no_password() {
        let stored = password::hash("a password of mine").expect("hash");
        let contested = unmatchable(&stored).expect("unmatchable");
        assert_ne!(contested, stored);
        assert!(!password::verify("a password of mine", Some(&contested)).expect("verify"));
    }
}

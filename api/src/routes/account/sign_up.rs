//! Signing up, opening the emailed link that verifies an address (a new
//! account's, or an account's new one), and asking for that link again.
//!
//! Sign-up answers 202 alike whether or not the address has an account, and
//! in the same time: the password is hashed before the database is looked
//! at, and either way one write queues one mail (the link, or "this address
//! has an account already"). Per-mailbox limits are silent, and count only
//! when mail would go out, so a stranger cannot use up Bob's share.
//!
//! A link verifies only together with the account's password: the link
//! proves the mailbox, the password proves the one who asked. Without it,
//! a stranger could sign up with someone's address (or move their own
//! account to it), wait for its owner to open the link that arrives
//! unasked, and then sign in with the password they chose — into an
//! account that has taken in the tickets that address opened by email.
//! A sign-up for an address whose account is still pending starts it over
//! with the newest details; an owner who finds their password no longer
//! fits sets one with "forgot password", whose link proves the mailbox.

use axum::{extract::State, http::HeaderMap, http::StatusCode, response::Response};
use shared::{
    account::{EmailOnly, SignUp, VerifyAddress, check_name},
    validate::{Field, FieldError, Problem},
};

use super::{
    SameOrigin,
    links::{LinkRequest, mail_link},
    signed_in_as,
};
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
};

const SIGN_UP_PER_IP: Limit = Limit::per_hour(10);
const SIGN_UP_PER_MAILBOX: Limit = Limit::per_hour(3);
const VERIFY_PER_IP: Limit = Limit::per_hour(30);
/// Passwords tried with one account's link from one client address.
const VERIFY_PER_ACCOUNT_AND_IP: Limit = Limit::per_hour(10);
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
    // Hashed first, whether or not the address has an account: every answer
    // takes one Argon2 run and one write.
    let hash = sign_in::hash(body.password).await?;
    let name = body.name.trim().to_owned();
    let lang = body.lang;
    let public_url = state.config.public_url.clone();
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
            let new = NewCustomer {
                email: email.as_str(),
                name: &name,
                password_hash: &hash,
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

/// Opens a verification link with the account's password: a new account's
/// (the account starts working and takes in the tickets its address opened
/// before) or an account's new address. Either way this browser is signed
/// in. A wrong password leaves the link usable.
pub async fn verify_create(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    ApiJson(body): ApiJson<VerifyAddress>,
) -> Result<Response> {
    limit(&state, vec![(format!("verify:ip:{client}"), VERIFY_PER_IP)])
        .await
        .inspect_err(|_| tracing::warn!(client, "verification refused: rate limit"))?;
    let peek = body.token.clone();
    let owner = state
        .db
        .read(move |conn| {
            let found = auth::peek_token(conn, Realm::Customer, ADDRESS_LINKS, &peek, db::now())?;
            customers::by_id(conn, found.principal_id)?.ok_or(Error::LinkInvalid)
        })
        .await
        .inspect_err(|error| tracing::warn!(client, ?error, "verification link refused"))?;
    limit(
        &state,
        vec![(
            format!("verify:account:{}:ip:{client}", owner.id),
            VERIFY_PER_ACCOUNT_AND_IP,
        )],
    )
    .await?;
    if !sign_in::verify(body.password, Some(owner.password_hash)).await? {
        tracing::warn!(
            client,
            customer = owner.id,
            "verification refused: wrong password"
        );
        return Err(Error::field(Field::CurrentPassword, Problem::Invalid));
    }
    let token = body.token;
    let customer = state
        .db
        .write(move |conn| {
            let now = db::now();
            let token = auth::redeem_token(conn, Realm::Customer, ADDRESS_LINKS, &token, now)?;
            let id = token.principal_id;
            // Redeemed inside the write: a sign-up since (which voids the
            // link) wins over this one.
            if id != owner.id {
                return Err(Error::LinkInvalid);
            }
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
    let request = LinkRequest {
        action: "resend",
        per_client: RESEND_PER_IP,
        per_mailbox: RESEND_PER_MAILBOX,
        purpose: TokenPurpose::Verify,
        page: "verify",
        mail: AccountMail::Verify,
        wants: |customer| !customer.verified,
    };
    mail_link(&state, &client, &body.email, request).await
}

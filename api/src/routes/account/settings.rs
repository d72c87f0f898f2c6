//! Account settings that need the password again: moving the account to a
//! new address (which must be verified first; the old address is told) and
//! deleting the account.

use axum::{extract::State, http::StatusCode, response::Response};
use shared::{
    account::{ChangeEmail, DeleteAccount},
    validate::{Field, Problem},
};

use super::AccountHolder;
use crate::{
    AppState,
    auth::session::Realm,
    db::{
        self,
        auth::{self, TokenPurpose},
        customers::{self, Customer},
        rate::Limit,
    },
    error::{Error, Result},
    mail::{
        account::{self as account_mail, AccountMail},
        address::Recipient,
    },
    routes::{ApiJson, client::ClientIp, limit, sign_in},
};

const EMAIL_PER_ACCOUNT: Limit = Limit::per_hour(5);
const DELETE_PER_ACCOUNT: Limit = Limit::per_hour(5);

/// The account's password, checked again for a change that matters.
async fn password_again(
    client: &str,
    customer: &Customer,
    password: String,
    what: &'static str,
) -> Result<()> {
    if sign_in::verify(password, Some(customer.password_hash.clone())).await? {
        return Ok(());
    }
    tracing::warn!(
        client,
        customer = customer.id,
        what,
        "refused: wrong password"
    );
    Err(Error::field(Field::CurrentPassword, Problem::Invalid))
}

pub async fn email_update(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    holder: AccountHolder,
    ApiJson(body): ApiJson<ChangeEmail>,
) -> Result<StatusCode> {
    let customer = holder.customer;
    let id = customer.id;
    limit(
        &state,
        vec![(format!("email:account:{id}"), EMAIL_PER_ACCOUNT)],
    )
    .await
    .inspect_err(|_| tracing::warn!(client, customer = id, "address change refused: rate limit"))?;
    password_again(&client, &customer, body.password, "address change").await?;
    let new = Recipient::parse(&body.email).map_err(|problem| {
        tracing::warn!(
            client,
            customer = id,
            "address change refused: invalid address"
        );
        Error::field(Field::Email, problem)
    })?;
    let public_url = state.config.public_url.clone();
    let outcome = state
        .db
        .write(move |conn| {
            let now = db::now();
            // Whether the new address has an account is not told to the
            // one asking: its owner gets a notice instead of a link.
            let outcome = match customers::by_email(conn, new.as_str())? {
                Some(other) if other.verified => {
                    let link = format!("{public_url}/account/forgot");
                    account_mail::queue(
                        conn,
                        AccountMail::Taken,
                        &other.email,
                        &link,
                        other.lang,
                        now,
                    )?;
                    "new address has an account; notice queued"
                }
                _ => {
                    let token = auth::issue_token(
                        conn,
                        Realm::Customer,
                        id,
                        TokenPurpose::Email,
                        Some(new.as_str()),
                        now,
                    )?;
                    let link = format!("{public_url}/account/verify#{token}");
                    account_mail::queue(
                        conn,
                        AccountMail::NewAddress,
                        new.as_str(),
                        &link,
                        customer.lang,
                        now,
                    )?;
                    "link queued to the new address"
                }
            };
            // The old address learns of it, without the new address: that
            // is text the requester typed (house rule: no typed text in
            // automatic mail), and the owner's move — set a new password,
            // which signs everyone out — does not need it.
            let link = format!("{public_url}/account/forgot");
            account_mail::queue(
                conn,
                AccountMail::Changing,
                &customer.email,
                &link,
                customer.lang,
                now,
            )?;
            Ok(outcome)
        })
        .await?;
    state.mail_wake.notify_one();
    tracing::info!(client, customer = id, outcome, "address change requested");
    Ok(StatusCode::ACCEPTED)
}

pub async fn account_delete(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    holder: AccountHolder,
    ApiJson(body): ApiJson<DeleteAccount>,
) -> Result<Response> {
    let customer = holder.customer;
    let id = customer.id;
    limit(
        &state,
        vec![(format!("delete:account:{id}"), DELETE_PER_ACCOUNT)],
    )
    .await
    .inspect_err(|_| {
        tracing::warn!(
            client,
            customer = id,
            "account deletion refused: rate limit"
        )
    })?;
    password_again(&client, &customer, body.password, "account deletion").await?;
    let anonymise = body.anonymise;
    state
        .db
        .write(move |conn| customers::delete(conn, id, anonymise))
        .await?;
    tracing::info!(client, customer = id, anonymise, "customer account deleted");
    Ok(sign_in::signed_out(&state, Realm::Customer))
}

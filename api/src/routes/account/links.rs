//! "Email me a link": forgot password and verification resend. Both answer
//! 202 whatever the address, after the same writes for a known and an
//! unknown one (the per-mailbox event is counted for every address, and
//! silently: a full mailbox sends nothing and says nothing).

use axum::http::StatusCode;

use crate::{
    AppState,
    auth::session::Realm,
    db::{
        self,
        auth::{self, TokenPurpose},
        customers::{self, Customer},
        rate::{self, Limit},
    },
    error::Result,
    mail::{
        account::{self as account_mail, AccountMail},
        address::Recipient,
    },
    routes::limit,
};

/// What one kind of link request sends, to which accounts, how often.
pub(super) struct LinkRequest {
    /// The rate-limit keys' prefix and the log's word.
    pub action: &'static str,
    pub per_client: Limit,
    pub per_mailbox: Limit,
    pub purpose: TokenPurpose,
    /// `/account/{page}#token`.
    pub page: &'static str,
    pub mail: AccountMail,
    /// Which accounts get one.
    pub wants: fn(&Customer) -> bool,
}

/// Mails `request`'s link to the account of `email`, if it has one that
/// wants it and the mailbox has not had its share this hour; 202 either way.
pub(super) async fn mail_link(
    state: &AppState,
    client: &str,
    email: &str,
    request: LinkRequest,
) -> Result<StatusCode> {
    let action = request.action;
    limit(
        state,
        vec![(format!("{action}:ip:{client}"), request.per_client)],
    )
    .await
    .inspect_err(|_| tracing::warn!(client, action, "link request refused: rate limit"))?;
    let email = Recipient::parse(email).ok();
    let public_url = state.config.public_url.clone();
    let sent = state
        .db
        .write(move |conn| {
            let now = db::now();
            let Some(email) = email else {
                return Ok(false);
            };
            let mailbox = format!("{action}:mailbox:{}", email.mailbox());
            if !rate::take(conn, &mailbox, request.per_mailbox, now)? {
                return Ok(false);
            }
            let Some(customer) =
                customers::by_email(conn, email.as_str())?.filter(|c| (request.wants)(c))
            else {
                return Ok(false);
            };
            let token = auth::issue_token(
                conn,
                Realm::Customer,
                customer.id,
                request.purpose,
                None,
                now,
            )?;
            let link = format!("{public_url}/account/{}#{token}", request.page);
            account_mail::queue(
                conn,
                request.mail,
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
    tracing::info!(client, action, sent, "link requested");
    Ok(StatusCode::ACCEPTED)
}

//! The server's JSON API as one typed client: one function per endpoint,
//! grouped by resource, so pages never format a path or pick a method. Each
//! builds its request at once and returns a future that borrows none of its
//! arguments, ready for a `LocalResource` or an `Action` to hold. Every
//! failure becomes an `ApiError` that `I18n`-aware code turns into a
//! translated sentence.

use std::future::Future;

pub use frontend::net::ApiError;
use frontend::net::{encoded, get, post, post_accepted};
use shared::i18n::Lang;

/// `/api/config`.
pub mod config {
    use super::*;
    use shared::api::PublicConfig;

    pub fn show() -> impl Future<Output = Result<PublicConfig, ApiError>> + use<> {
        get("/api/config")
    }
}

/// `/api/departments`.
pub mod departments {
    use super::*;
    use shared::api::Department;

    /// The departments, named and explained in `lang`.
    pub fn list(lang: Lang) -> impl Future<Output = Result<Vec<Department>, ApiError>> + use<> {
        get(&format!("/api/departments?lang={}", lang.code()))
    }
}

/// `/api/tickets` and everything under one ticket.
pub mod tickets {
    use super::*;
    use shared::api::{
        CreatedTicket, NewReply, NewTicket, ReplyCreated, ResendConfirmation, TicketView,
    };

    fn path(reference: &str) -> String {
        format!("/api/tickets/{}", encoded(reference))
    }

    pub fn create(
        ticket: &NewTicket,
    ) -> impl Future<Output = Result<CreatedTicket, ApiError>> + use<> {
        post("/api/tickets", ticket)
    }

    /// Sends the confirmation email again.
    pub fn resend(
        reference: &str,
        request: &ResendConfirmation,
    ) -> impl Future<Output = Result<(), ApiError>> + use<> {
        post_accepted(&format!("{}/resend", path(reference)), request)
    }

    /// The ticket, its department named in `lang`.
    pub fn show(
        reference: &str,
        lang: Lang,
    ) -> impl Future<Output = Result<TicketView, ApiError>> + use<> {
        get(&format!("{}?lang={}", path(reference), lang.code()))
    }

    /// Adds the customer's reply; the answer is the new message only.
    pub fn reply(
        reference: &str,
        reply: &NewReply,
    ) -> impl Future<Output = Result<ReplyCreated, ApiError>> + use<> {
        post(&format!("{}/messages", path(reference)), reply)
    }

    pub fn close(
        reference: &str,
        lang: Lang,
    ) -> impl Future<Output = Result<TicketView, ApiError>> + use<> {
        post(
            &format!("{}/close?lang={}", path(reference), lang.code()),
            &(),
        )
    }

    pub fn reopen(
        reference: &str,
        lang: Lang,
    ) -> impl Future<Output = Result<TicketView, ApiError>> + use<> {
        post(
            &format!("{}/reopen?lang={}", path(reference), lang.code()),
            &(),
        )
    }

    /// Where an attachment downloads from (a link, not a fetch).
    pub fn attachment_url(reference: &str, id: &str) -> String {
        format!("{}/attachments/{}", path(reference), encoded(id))
    }
}

/// Emailed links and "find my ticket".
pub mod links {
    use super::*;
    use shared::api::{FindTicket, RedeemLink, Redeemed};

    /// Exchanges an emailed one-time token for this browser's access.
    pub fn redeem(token: &str) -> impl Future<Output = Result<Redeemed, ApiError>> + use<> {
        post(
            "/api/links/redeem",
            &RedeemLink {
                token: token.to_owned(),
            },
        )
    }

    /// Asks for an access link by email; the answer is the same whether or
    /// not reference and address match.
    pub fn find(request: &FindTicket) -> impl Future<Output = Result<(), ApiError>> + use<> {
        post_accepted("/api/find", request)
    }
}

/// `/api/ratings`: the choice and the comment from a close mail's links.
pub mod ratings {
    use super::*;
    use shared::satisfaction::{RateTicket, RatingCommentBody};

    pub fn rate(token: &str, good: bool) -> impl Future<Output = Result<(), ApiError>> + use<> {
        post_accepted(
            "/api/ratings",
            &RateTicket {
                token: token.to_owned(),
                good,
            },
        )
    }

    pub fn comment(
        token: &str,
        comment: &str,
    ) -> impl Future<Output = Result<(), ApiError>> + use<> {
        post_accepted(
            "/api/ratings/comment",
            &RatingCommentBody {
                token: token.to_owned(),
                comment: comment.to_owned(),
            },
        )
    }
}

/// `/api/account`: the customer's own account and its tickets.
pub mod account {
    use super::*;
    use shared::account::{
        Account, AccountSignIn, AccountUpdate, ChangeEmail, ChangePassword, DeleteAccount,
        EmailOnly, MyTickets, ResetPassword, SignUp, VerifyAddress,
    };

    /// Starts an account; the answer is the same whether or not the address
    /// has one (the link, or a notice, goes by email).
    pub fn sign_up(request: &SignUp) -> impl Future<Output = Result<(), ApiError>> + use<> {
        post_accepted("/api/account/sign-up", request)
    }

    /// Redeems a sign-up or email-change link with the account's password;
    /// signs in.
    pub fn verify(
        request: &VerifyAddress,
    ) -> impl Future<Output = Result<Account, ApiError>> + use<> {
        post("/api/account/verify", request)
    }

    /// Sends the verification link again.
    pub fn resend(request: &EmailOnly) -> impl Future<Output = Result<(), ApiError>> + use<> {
        post_accepted("/api/account/verify/resend", request)
    }

    pub fn sign_in(
        request: &AccountSignIn,
    ) -> impl Future<Output = Result<Account, ApiError>> + use<> {
        post("/api/account/session", request)
    }

    pub fn sign_out() -> impl Future<Output = Result<(), ApiError>> + use<> {
        post_accepted("/api/account/session/end", &())
    }

    pub fn sign_out_everywhere() -> impl Future<Output = Result<(), ApiError>> + use<> {
        post_accepted("/api/account/session/end-all", &())
    }

    /// The signed-in customer; `None` if nobody is.
    pub fn session() -> impl Future<Output = Result<Option<Account>, ApiError>> + use<> {
        get("/api/account/session")
    }

    pub fn update(
        request: &AccountUpdate,
    ) -> impl Future<Output = Result<Account, ApiError>> + use<> {
        post("/api/account/me", request)
    }

    pub fn change_password(
        request: &ChangePassword,
    ) -> impl Future<Output = Result<Account, ApiError>> + use<> {
        post("/api/account/password", request)
    }

    /// Asks for a reset link; the answer is the same for any address.
    pub fn forgot(request: &EmailOnly) -> impl Future<Output = Result<(), ApiError>> + use<> {
        post_accepted("/api/account/password/forgot", request)
    }

    pub fn reset(request: &ResetPassword) -> impl Future<Output = Result<(), ApiError>> + use<> {
        post_accepted("/api/account/password/reset", request)
    }

    pub fn change_email(
        request: &ChangeEmail,
    ) -> impl Future<Output = Result<(), ApiError>> + use<> {
        post_accepted("/api/account/email", request)
    }

    pub fn delete(request: &DeleteAccount) -> impl Future<Output = Result<(), ApiError>> + use<> {
        post_accepted("/api/account/delete", request)
    }

    /// A page of the account's tickets, departments named in `lang`; `after`
    /// is the cursor of the page before.
    pub fn tickets(
        lang: Lang,
        after: Option<&str>,
    ) -> impl Future<Output = Result<MyTickets, ApiError>> + use<> {
        let after = after
            .map(|cursor| format!("&after={}", encoded(cursor)))
            .unwrap_or_default();
        get(&format!("/api/account/tickets?lang={}{after}", lang.code()))
    }
}

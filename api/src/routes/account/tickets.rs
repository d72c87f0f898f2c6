//! "My tickets": the account's tickets, newest activity first, a page at a
//! time. The cursor is the last line's `updated_at.id`: pages follow the
//! index `tickets_customer`, never `OFFSET`.

use axum::{
    Json,
    extract::{Query, State},
};
use serde::Deserialize;
use shared::{
    account::{MY_TICKETS_PAGE, MyTickets},
    i18n::Lang,
};

use super::AccountHolder;
use crate::{
    AppState,
    db::customers,
    error::{Error, Result},
    routes::client::ClientIp,
};

#[derive(Deserialize)]
pub struct Page {
    lang: Option<String>,
    after: Option<String>,
}

pub async fn tickets_list(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    holder: AccountHolder,
    Query(page): Query<Page>,
) -> Result<Json<MyTickets>> {
    let lang = page
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or(holder.customer.lang);
    let after = match page.after.as_deref().filter(|a| !a.is_empty()) {
        None => None,
        Some(cursor) => Some(parse_cursor(cursor).ok_or_else(|| {
            tracing::warn!(
                client,
                customer = holder.customer.id,
                "my tickets: malformed cursor"
            );
            Error::BadRequest
        })?),
    };
    let id = holder.customer.id;
    let (tickets, last) = state
        .db
        .read(move |conn| customers::my_tickets(conn, id, lang, after, MY_TICKETS_PAGE))
        .await?;
    let next = last.map(|(updated_at, id)| format!("{updated_at}.{id}"));
    Ok(Json(MyTickets { tickets, next }))
}

/// `updated_at.id`, both non-negative integers.
fn parse_cursor(cursor: &str) -> Option<(i64, i64)> {
    let (updated_at, id) = cursor.split_once('.')?;
    let number = |part: &str| {
        (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<i64>().ok())
            .flatten()
    };
    Some((number(updated_at)?, number(id)?))
}

#[cfg(test)]
mod tests {
    use super::parse_cursor;

    #[test]
    fn cursors_are_two_numbers() {
        assert_eq!(parse_cursor("1700000000.42"), Some((1_700_000_000, 42)));
        for bad in [
            "",
            ".",
            "1.",
            ".2",
            "1.2.3",
            "-1.2",
            "1.+2",
            "a.b",
            "1 .2",
            "99999999999999999999.1",
        ] {
            assert_eq!(parse_cursor(bad), None, "{bad:?}");
        }
    }
}

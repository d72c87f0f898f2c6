//! `/tickets/{reference}` for the customer who may open it: the index page
//! with the ticket drawn in it, as `frontend/src/pages/ticket.rs` draws it
//! (facts and conversation; the reply form comes with the app), and the
//! API's answer the app would ask for, so that it takes over with the same
//! content and no request. The link in a ticket's email opens this page, so
//! it is the page customers load most; without this it showed only the
//! frame until the wasm had run and fetched the ticket.
//!
//! Anyone else (no session, another person's ticket) gets the plain page,
//! whose app then shows "not found" as before. Dates and file sizes are
//! written by the browser's `Intl` in the app; here their places hold a
//! non-breaking space, so the lines keep their height and nothing moves.

use axum::{
    extract::State,
    http::{HeaderMap, Uri},
    response::Response,
};
use shared::{
    api::{AttachmentView, Author, MessageView, TicketView},
    html::escape,
    i18n::{Key, Lang, around},
    pages::Page,
};

use super::{api_url, encoded};
use crate::{
    AppState, assets,
    error::Error,
    routes::{self, access::CustomerTicket},
};

/// Where a date or size goes that the app writes.
const LATER: &str = "&nbsp;";

pub async fn show(
    State(state): State<AppState>,
    access: Result<CustomerTicket, Error>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Ok(CustomerTicket(ticket)) = access else {
        return assets::serve(uri, headers).await;
    };
    let lang = assets::language(&headers);
    let view = match routes::opened_ticket(&state, ticket, lang).await {
        Ok(view) => view,
        // The plain page: the app asks again and shows what goes wrong.
        Err(error) => {
            tracing::warn!(%error, "drawing a ticket's page");
            return assets::serve(uri, headers).await;
        }
    };
    let url = api_url(&format!("/tickets/{}", encoded(&view.reference)), lang);
    assets::with_data(Page::Private, lang, &screen(&view, lang), &url, &view)
}

/// The ticket's section down to its conversation, element for element as
/// the app's `TicketDetails` draws it.
fn screen(view: &TicketView, lang: Lang) -> String {
    let t = |key: Key| escape(key.text(lang));
    let title = around(Key::TicketTitle.text(lang), "reference");
    let answers: String = view
        .answers
        .iter()
        .map(|answer| {
            format!(
                "<div><dt>{}</dt><dd><bdi>{}</bdi></dd></div>",
                escape(&answer.label),
                escape(&answer.value)
            )
        })
        .collect();
    let messages: String = view
        .messages
        .iter()
        .map(|message| self::message(&view.reference, message, lang))
        .collect();
    format!(
        "<section class=\"ticket\">\
         <h1>{before}<bdi class=\"reference\">{reference}</bdi>{after}</h1>\
         <p class=\"subject\"><bdi>{subject}</bdi></p>\
         <dl class=\"facts\">\
         <div><dt>{department}</dt><dd>{department_name}</dd></div>\
         <div><dt>{status}</dt><dd class=\"status\">{status_name}</dd></div>\
         <div><dt>{opened}</dt><dd>{LATER}</dd></div>{answers}</dl>\
         <h2>{conversation}</h2><ol class=\"conversation\">{messages}</ol>\
         </section>",
        before = escape(title.0),
        reference = escape(&lang.digits(&view.reference)),
        after = escape(title.1),
        subject = escape(&view.subject),
        department = t(Key::TicketDepartment),
        department_name = escape(&view.department.name),
        status = t(Key::TicketStatus),
        status_name = t(view.status.key()),
        opened = t(Key::TicketOpened),
        conversation = t(Key::TicketConversation),
    )
}

/// One message as the app's `Message` draws it; its line of author and
/// date is the app's to write.
fn message(reference: &str, message: &MessageView, lang: Lang) -> String {
    let side = match message.author {
        Author::Customer => "message from-customer",
        Author::Agent => "message from-agent",
    };
    let files = if message.attachments.is_empty() {
        String::new()
    } else {
        let files: String = message
            .attachments
            .iter()
            .map(|file| attachment(reference, file, lang))
            .collect();
        format!(
            "<ul class=\"message-files\" aria-label=\"{}\">{files}</ul>",
            escape(Key::Attachments.text(lang))
        )
    };
    format!(
        "<li class=\"{side}\"><p class=\"message-meta\">{LATER}</p>\
         <div class=\"message-body\" dir=\"auto\">{}</div>{files}</li>",
        escape(&message.body)
    )
}

fn attachment(reference: &str, file: &AttachmentView, lang: Lang) -> String {
    let url = escape(&format!(
        "/api/tickets/{}/attachments/{}",
        encoded(reference),
        encoded(&file.id)
    ));
    let thumb = if file.content_type.starts_with("image/") {
        format!("<img class=\"thumb\" src=\"{url}\" alt=\"\" loading=\"lazy\">")
    } else {
        String::new()
    };
    format!(
        "<li class=\"file\">{thumb}<a href=\"{url}\" download=\"\" aria-label=\"{label}\">\
         <bdi class=\"file-name\">{name}</bdi></a><span class=\"file-size\">{LATER}</span></li>",
        label = escape(&Key::Download.fill(lang, &[("name", &file.name)])),
        name = escape(&file.name),
    )
}

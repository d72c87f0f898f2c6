//! The JSON shapes of the HTTP API, shared so that the browser and the
//! server cannot drift apart. Timestamps are Unix seconds.

use crate::{
    forms::{Answer, FieldValue, FormField},
    i18n::{Key, Lang},
    limits::AttachmentLimits,
    validate::{Field, FieldError},
};
use serde::{Deserialize, Serialize};

/// Every state-changing request must carry this header (any value). A
/// cross-site form cannot set it, and a cross-site `fetch` that sets it needs
/// a CORS preflight the server never grants: that is the CSRF defence.
pub const CSRF_HEADER: &str = "x-pasokh-csrf";

/// Query parameter carrying the original file name on `POST /api/uploads`.
pub const UPLOAD_NAME_PARAM: &str = "name";

/// `GET /api/config`: what the form needs to validate like the server.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PublicConfig {
    pub attachments: AttachmentLimits,
}

/// `GET /api/departments?lang=`: one department in the requested language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Department {
    pub slug: String,
    pub name: String,
    pub explanation: String,
    /// The department's form in the same language (only in the list the
    /// wizard loads; a ticket's department leaves it out).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FormField<String>>,
}

/// How the customer wants to receive answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Account,
}

/// `POST /api/tickets`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewTicket {
    pub channel: Channel,
    pub email: String,
    pub department: String,
    pub subject: String,
    pub description: String,
    pub lang: Lang,
    /// Ids returned by `POST /api/uploads`.
    #[serde(default)]
    pub uploads: Vec<String>,
    /// Answers to the department's form.
    #[serde(default)]
    pub fields: Vec<FieldValue>,
}

/// Answer to `POST /api/tickets`: the ticket waits for its email to be confirmed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CreatedTicket {
    pub reference: String,
    /// Lets this browser ask for the confirmation email again.
    pub resend_key: String,
}

/// `POST /api/tickets/{reference}/resend`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResendConfirmation {
    pub resend_key: String,
}

/// Answer to `POST /api/uploads`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Upload {
    pub id: String,
    pub name: String,
    pub size: u64,
    pub content_type: String,
}

/// `POST /api/links/redeem`: exchange an emailed one-time token for access.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RedeemLink {
    pub token: String,
}

/// Answer to a redeemed link: where to go next.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Redeemed {
    pub reference: String,
}

/// `POST /api/find`: "find my ticket". The answer is the same whether or not
/// the pair matches.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FindTicket {
    pub reference: String,
    pub email: String,
    pub lang: Lang,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    AwaitingConfirmation,
    Open,
    Answered,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::AwaitingConfirmation => "awaiting_confirmation",
            Status::Open => "open",
            Status::Answered => "answered",
            Status::Closed => "closed",
        }
    }

    /// The status as the customer reads it (ticket page, ticket lists).
    pub fn key(self) -> Key {
        match self {
            Status::AwaitingConfirmation => Key::StatusAwaitingConfirmation,
            Status::Open => Key::StatusOpen,
            Status::Answered => Key::StatusAnswered,
            Status::Closed => Key::StatusClosed,
        }
    }

    pub fn parse(value: &str) -> Option<Status> {
        [
            Status::AwaitingConfirmation,
            Status::Open,
            Status::Answered,
            Status::Closed,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Customer,
    Agent,
}

/// `GET /api/tickets/{reference}`: the ticket as its customer sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketView {
    pub reference: String,
    pub department: Department,
    pub status: Status,
    pub lang: Lang,
    pub email: String,
    pub subject: String,
    pub created_at: i64,
    /// What the customer answered in the department's form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Answer>,
    pub messages: Vec<MessageView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: i64,
    pub author: Author,
    /// The display name of the agent who wrote an agent reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: i64,
    pub attachments: Vec<AttachmentView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: String,
    pub name: String,
    pub size: u64,
    pub content_type: String,
}

/// `POST /api/tickets/{reference}/messages`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewReply {
    pub body: String,
    #[serde(default)]
    pub uploads: Vec<String>,
}

/// Answer to `POST /api/tickets/{reference}/messages`: only the new message
/// (the page appends it) and the ticket's status afterwards, so a long
/// conversation is not sent again with every reply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplyCreated {
    pub message: MessageView,
    pub status: Status,
}

/// A stable, translatable error code; the client shows text for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not the JSON the endpoint takes.
    BadRequest,
    Validation,
    NotFound,
    RateLimited,
    PayloadTooLarge,
    UnsupportedFileType,
    Forbidden,
    TicketClosed,
    /// The ticket holds as many messages as one ticket may
    /// (`limits::MESSAGES_PER_TICKET`): open a new ticket.
    TicketFull,
    LinkExpired,
    LinkUsed,
    LinkInvalid,
    Internal,
    /// Staff routes: no valid session (signed out, expired, deactivated).
    SignedOut,
    /// Staff sign-in: the address, password or code is wrong — the same
    /// answer whichever it was.
    SignInFailed,
    /// Staff sign-in: the password was right; the second-factor code is needed.
    CodeRequired,
    /// Customer sign-in: the password was right but the address has not
    /// been verified yet (the answer to a resend is the way on).
    NotVerified,
    /// A staff reply: someone else wrote on the ticket since the writer
    /// loaded it; sent again with `force` it goes out.
    Stale,
}

/// Body of every error response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// Also written to the server log with the cause, for support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_id: Option<String>,
}

impl ErrorBody {
    /// The problems reported for one field.
    pub fn field(&self, field: Field) -> impl Iterator<Item = &FieldError> {
        self.fields.iter().filter(move |e| e.field == field)
    }
}

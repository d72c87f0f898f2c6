//! "New ticket": three steps (how to answer, department, details), validated
//! as the customer types with the rules the server applies, kept as a draft
//! in the browser until sent.

mod extra;
mod steps;

use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};
use serde::{Deserialize, Serialize};
use shared::{
    api::{Channel, Department, ErrorCode, NewTicket, Upload},
    i18n::Key,
    pages::WIZARD_STEPS,
    validate::{Description, Email, Field, Problem, Subject},
};

use crate::{
    account::{Session, use_session},
    api::{self, ApiError},
    app::use_title,
    components::{
        attachments::{FileEntry, all_uploaded, uploaded},
        notice::Notice,
    },
    draft,
    i18n::{I18n, use_i18n},
    pages::sent::SentInfo,
};

pub const DRAFT_KEY: &str = "pasokh.draft.new-ticket";
const STEPS: u8 = WIZARD_STEPS.len() as u8;

/// What survives a reload.
#[derive(Default, Serialize, Deserialize)]
struct Draft {
    step: u8,
    /// `None` in drafts from before accounts: by email.
    #[serde(default)]
    channel: Option<Channel>,
    email: String,
    department: String,
    subject: String,
    description: String,
    /// Finished uploads and when each was added (ms since the epoch).
    uploads: Vec<(Upload, f64)>,
    /// Answers to the department's form, by field id.
    #[serde(default)]
    answers: Vec<(i64, String)>,
}

/// A draft is waiting to be sent: the customer went to confirm a new
/// account from it, or had started writing.
pub fn pending_draft() -> bool {
    draft::load::<Draft>(DRAFT_KEY, false).is_some_and(|d| {
        d.channel == Some(Channel::Account)
            || !d.subject.trim().is_empty()
            || !d.description.trim().is_empty()
            || !d.uploads.is_empty()
    })
}

/// The server purges uploads no ticket claimed within 24 hours; a draft
/// older than that shows its files as gone rather than as attached.
const UPLOAD_KEPT_MS: f64 = 23.0 * 3600.0 * 1000.0;

/// Sends the ticket; its value is the outcome of the last Send (success
/// leaves the page).
type SendAction = Action<NewTicket, Result<(), ApiError>>;

/// The wizard's state; every part is a copyable signal handle.
#[derive(Clone, Copy)]
struct Form {
    step: RwSignal<u8>,
    channel: RwSignal<Channel>,
    /// Who is signed in: the account channel needs someone.
    session: Session,
    email: RwSignal<String>,
    department: RwSignal<String>,
    subject: RwSignal<String>,
    description: RwSignal<String>,
    files: RwSignal<Vec<FileEntry>>,
    /// Answers to the department's form, by field id.
    answers: RwSignal<Vec<(i64, String)>>,
    /// The departments (with their forms) in the interface's language.
    departments: LocalResource<Result<Vec<Department>, ApiError>>,
    /// Fields the customer has left once: their errors show from then on.
    touched: RwSignal<Vec<Field>>,
    /// The furthest step whose Next (or Send) was pressed.
    attempted: RwSignal<u8>,
    send: SendAction,
}

fn step_of(field: Field) -> u8 {
    match field {
        Field::Channel | Field::Email => 1,
        Field::Department => 2,
        _ => 3,
    }
}

/// On success: the draft goes, the confirmation page comes (or, for a
/// ticket in the account, the ticket itself: it is open at once). On
/// refusal: back to the first step the server found a problem in.
fn send_action(step: RwSignal<u8>, session: Session) -> SendAction {
    let navigate = use_navigate();
    Action::new_local(move |ticket: &NewTicket| {
        let sent = api::tickets::create(ticket);
        let email = ticket.email.clone();
        let ticket = ticket.clone();
        let navigate = navigate.clone();
        async move {
            let result = sent.await;
            match &result {
                Ok(created) if ticket.channel == Channel::Account => {
                    draft::remove(DRAFT_KEY, false);
                    navigate(
                        &format!("/tickets/{}", created.reference),
                        NavigateOptions::default(),
                    );
                }
                Ok(created) => {
                    draft::remove(DRAFT_KEY, false);
                    let resend_key = created.resend_key.clone();
                    SentInfo { email, resend_key }.save(&created.reference);
                    let path = format!("/sent/{}", created.reference);
                    navigate(&path, NavigateOptions::default());
                }
                Err(error) => {
                    if let Some(first) = error.fields().iter().map(|e| step_of(e.field)).min() {
                        step.set(first);
                    }
                    // Signed out meanwhile: step 1 offers to sign in again.
                    if error.code() == Some(ErrorCode::SignedOut) {
                        session.refetch();
                        step.set(1);
                    }
                    focus_soon(".notice-error");
                }
            }
            result.map(|_| ())
        }
    })
}

impl Form {
    /// The draft as it was left, and a send action.
    fn restore() -> Form {
        let draft: Draft = draft::load(DRAFT_KEY, false).unwrap_or_default();
        let step = RwSignal::new(draft.step.clamp(1, STEPS));
        let session = use_session();
        let i18n = use_i18n();
        Form {
            step,
            channel: RwSignal::new(draft.channel.unwrap_or(Channel::Email)),
            session,
            email: RwSignal::new(draft.email),
            department: RwSignal::new(draft.department),
            subject: RwSignal::new(draft.subject),
            description: RwSignal::new(draft.description),
            files: RwSignal::new(
                draft
                    .uploads
                    .into_iter()
                    .filter(|(_, added)| js_sys::Date::now() - added < UPLOAD_KEPT_MS)
                    .map(|(upload, added)| FileEntry::restored(upload, added))
                    .collect(),
            ),
            answers: RwSignal::new(draft.answers),
            departments: LocalResource::new(move || api::departments::list(i18n.lang.get())),
            touched: RwSignal::new(Vec::new()),
            attempted: RwSignal::new(0),
            send: send_action(step, session),
        }
    }

    fn save(self) {
        let draft = Draft {
            step: self.step.get(),
            channel: Some(self.channel.get()),
            email: self.email.get(),
            department: self.department.get(),
            subject: self.subject.get(),
            description: self.description.get(),
            uploads: self.files.with(|files| {
                files
                    .iter()
                    .filter_map(|f| f.upload().map(|u| (u.clone(), f.added_at)))
                    .collect()
            }),
            answers: self.answers.get(),
        };
        draft::save(DRAFT_KEY, &draft, false);
    }

    /// The problem the shared rules find in a field right now.
    fn problem(self, field: Field) -> Option<Problem> {
        match field {
            // The account's address: signed in, or nothing to check yet.
            Field::Email if self.channel.get() == Channel::Account => None,
            Field::Email => self.email.with(|v| Email::parse(v).err()),
            Field::Department => self
                .department
                .with(|v| v.is_empty().then_some(Problem::Required)),
            Field::Subject => self.subject.with(|v| Subject::parse(v).err()),
            Field::Description => self.description.with(|v| Description::parse(v).err()),
            Field::Form(id) => self.answer_problem(id),
            _ => None,
        }
    }

    /// The sentence under a field: our own check once the field was left or
    /// its step submitted, else what the server said about it.
    fn error(self, i18n: I18n, field: Field) -> Option<String> {
        let shown =
            self.touched.with(|t| t.contains(&field)) || self.attempted.get() >= step_of(field);
        shown
            .then(|| self.problem(field))
            .flatten()
            .map(|problem| i18n.problem(field, problem))
            .or_else(|| self.refused(i18n, field))
    }

    /// What the server said about a field when it refused the last Send.
    fn refused(self, i18n: I18n, field: Field) -> Option<String> {
        self.send.value().with(|outcome| match outcome {
            Some(Err(error)) => error.field_message(i18n, field),
            _ => None,
        })
    }

    fn touch(self, field: Field) {
        self.touched.update(|t| {
            if !t.contains(&field) {
                t.push(field);
            }
        });
    }

    fn step_fields(step: u8) -> &'static [Field] {
        match step {
            1 => &[Field::Email],
            2 => &[Field::Department],
            _ => &[Field::Subject, Field::Description],
        }
    }

    fn step_valid(self, step: u8) -> bool {
        let signed_in = self.session.signed_in() == Some(true);
        (step != 1 || self.channel.get() == Channel::Email || signed_in)
            && Form::step_fields(step)
                .iter()
                .all(|field| self.problem(*field).is_none())
            && (step < STEPS || self.files.with(|files| all_uploaded(files)))
            && (step < STEPS || self.answers_valid())
    }
}

/// Moves keyboard focus after the view updated: to the first invalid field,
/// or to the new step's title.
fn focus_soon(selector: &'static str) {
    request_animation_frame(move || {
        if let Some(element) = document()
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = element.focus();
        }
    });
}

#[component]
pub fn NewTicketWizard() -> impl IntoView {
    let i18n = use_i18n();
    use_title(Key::NewTicket);
    let form = Form::restore();
    Effect::new(move |_| form.save());
    // Editing after a refusal: the server's field errors no longer apply.
    Effect::new(move |first: Option<()>| {
        form.channel.track();
        form.email.track();
        form.department.track();
        form.subject.track();
        form.description.track();
        form.files.track();
        form.answers.track();
        if first.is_some() {
            form.send.clear();
        }
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let step = form.step.get_untracked();
        form.attempted.update(|a| *a = (*a).max(step));
        if !form.step_valid(step) {
            focus_soon(
                "input[aria-invalid=true], textarea[aria-invalid=true], select[aria-invalid=true], \
                 [role=radiogroup][aria-invalid=true] input, .attachments.invalid input, \
                 .inline-form input",
            );
            return;
        }
        if step < STEPS {
            form.step.set(step + 1);
            focus_soon("#step-title");
            return;
        }
        let channel = form.channel.get_untracked();
        let email = match channel {
            Channel::Email => form.email.get_untracked(),
            Channel::Account => untrack(|| form.session.account())
                .map(|a| a.email)
                .unwrap_or_default(),
        };
        let body = NewTicket {
            channel,
            email,
            department: form.department.get_untracked(),
            subject: form.subject.get_untracked(),
            description: form.description.get_untracked(),
            lang: i18n.lang.get_untracked(),
            uploads: form
                .files
                .with_untracked(|files| uploaded(files))
                .into_iter()
                .map(|u| u.id)
                .collect(),
            fields: form.sent_answers(),
        };
        form.send.dispatch(body);
    };

    let refused_message = Signal::derive(move || {
        form.send.value().with(|outcome| match outcome {
            Some(Err(error)) => Some(error.message(i18n)),
            _ => None,
        })
    });
    let sending = form.send.pending();
    let current_step = form.step;
    view! {
        <h1>{move || i18n.t(Key::NewTicket)}</h1>
        <p class="progress-text">
            {move || i18n.fill(Key::WizardProgress, &[
                ("step", &i18n.number(form.step.get() as f64)),
                ("total", &i18n.number(STEPS as f64)),
            ])}
        </p>
        <ol class="steps" aria-label=move || i18n.t(Key::WizardSteps)>
            {WIZARD_STEPS.into_iter().zip(1u8..).map(|(key, number)| view! {
                <li
                    class=move || match current_step.get().cmp(&number) {
                        std::cmp::Ordering::Greater => "done",
                        std::cmp::Ordering::Equal => "current",
                        std::cmp::Ordering::Less => "",
                    }
                    aria-current=move || (current_step.get() == number).then_some("step")
                >
                    {move || i18n.t(key)}
                </li>
            }).collect_view()}
        </ol>
        <Notice message=refused_message error=true />
        <form class="card wizard" novalidate on:submit=submit>
            {move || match form.step.get() {
                1 => steps::channel(form).into_any(),
                2 => steps::department(form).into_any(),
                _ => steps::details(form).into_any(),
            }}
            <div class="actions">
                <Show when=move || { form.step.get() > 1 }>
                    <button type="button" class="button secondary" on:click=move |_| {
                        form.step.update(|s| *s -= 1);
                        focus_soon("#step-title");
                    }>
                        {move || i18n.t(Key::Back)}
                    </button>
                </Show>
                <button type="submit" class="button primary" disabled=move || sending.get()>
                    {move || i18n.t(match (form.step.get() < STEPS, sending.get()) {
                        (true, _) => Key::Next,
                        (false, false) => Key::Send,
                        (false, true) => Key::Sending,
                    })}
                </button>
            </div>
            <p class="hint">{move || i18n.t(Key::DraftKept)}</p>
        </form>
    }
}

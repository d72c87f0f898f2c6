//! `/console/canned`: the canned replies a member may use (the shared ones
//! and their own), each editable one with Edit and Delete, and a form to add
//! or change one: a title and a text per language, checked by `shared`'s
//! rules as the member types and again by the server. A search field
//! narrows the list (the picker's rule, `CannedReply::matches`). Admins may
//! share a reply with everyone, or take a shared one back as their own.

use leptos::prelude::*;
use shared::{
    console::{CannedDraft, CannedReply, CannedVariant},
    i18n::{ConsoleKey, Key, Lang},
    validate::{Field, FieldError},
};

use crate::{
    api::{self, ApiError, StaffMessage},
    app::use_title,
    i18n::{Console, use_i18n},
    session::use_session,
};

/// The form: which reply it edits (`None`: a new one) and its fields.
#[derive(Clone, Copy)]
struct Form {
    editing: RwSignal<Option<i64>>,
    title: RwSignal<String>,
    shared: RwSignal<bool>,
    bodies: [(Lang, RwSignal<String>); 3],
    attempted: RwSignal<bool>,
}

impl Form {
    fn new() -> Form {
        Form {
            editing: RwSignal::new(None),
            title: RwSignal::new(String::new()),
            shared: RwSignal::new(false),
            bodies: [Lang::En, Lang::Fa, Lang::Ru].map(|lang| (lang, RwSignal::new(String::new()))),
            attempted: RwSignal::new(false),
        }
    }

    /// What would be sent: languages left empty are left out.
    fn draft(self) -> CannedDraft {
        CannedDraft {
            title: self.title.get(),
            shared: self.shared.get(),
            variants: self
                .bodies
                .iter()
                .filter(|(_, body)| !body.with(|b| b.trim().is_empty()))
                .map(|(lang, body)| CannedVariant {
                    lang: *lang,
                    body: body.get(),
                })
                .collect(),
        }
    }

    fn load(self, reply: Option<&CannedReply>) {
        self.editing.set(reply.map(|r| r.id));
        self.title
            .set(reply.map(|r| r.title.clone()).unwrap_or_default());
        self.shared.set(reply.is_some_and(|r| r.shared));
        for (lang, body) in self.bodies {
            let text = reply
                .and_then(|r| r.variants.iter().find(|v| v.lang == lang))
                .map(|v| v.body.clone());
            body.set(text.unwrap_or_default());
        }
        self.attempted.set(false);
    }
}

#[component]
pub fn CannedPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(ConsoleKey::CannedReplies);
    let admin = use_session().is_admin();
    let replies = LocalResource::new(api::canned::list);
    let form = Form::new();
    let notice = RwSignal::new(None::<ConsoleKey>);
    let save = Action::new_local(move |(id, draft): &(Option<i64>, CannedDraft)| {
        let (id, draft) = (*id, draft.clone());
        async move {
            match id {
                Some(id) => api::canned::update(id, &draft).await?,
                None => api::canned::create(&draft).await?,
            };
            form.load(None);
            notice.set(Some(ConsoleKey::CannedSaved));
            replies.refetch();
            Ok::<_, ApiError>(())
        }
    });
    let remove = Action::new_local(move |id: &i64| {
        let sent = api::canned::delete(*id);
        async move {
            sent.await?;
            notice.set(Some(ConsoleKey::CannedDeleted));
            replies.refetch();
            Ok::<_, ApiError>(())
        }
    });
    let failed = move || {
        let error = |v: &Option<Result<(), ApiError>>| match v {
            Some(Err(e)) => Some(e.clone()),
            _ => None,
        };
        error(&remove.value().read()).or_else(|| error(&save.value().read()))
    };
    let local = Memo::new(move |_| form.draft().check().err().unwrap_or_default());
    let problem = move |field: Field| {
        let here = |errors: &[FieldError]| errors.iter().find(|e| e.field == field).copied();
        let shown = form
            .attempted
            .get()
            .then(|| local.with(|l| here(l)))
            .flatten()
            .map(|e| i18n.problem(e.field, e.problem));
        shown.or_else(|| failed().and_then(|e| e.field_message(i18n, field)))
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        form.attempted.set(true);
        notice.set(None);
        if local.with_untracked(Vec::is_empty) {
            save.dispatch((form.editing.get_untracked(), form.draft()));
        }
    };
    let wanted = RwSignal::new(String::new());
    let list = move || match replies.get() {
        Some(Ok(list)) => wanted.with(|w| list.into_iter().filter(|r| r.matches(w)).collect()),
        _ => Vec::new(),
    };
    let none_match =
        move || matches!(replies.get(), Some(Ok(all)) if !all.is_empty()) && list().is_empty();
    let body_field = move |(lang, body): (Lang, RwSignal<String>)| {
        let id = format!("canned-body-{}", lang.code());
        view! {
            <div class="field">
                <label for=id.clone()>
                    {move || i18n.tr_fill(ConsoleKey::CannedBodyLang, &[("language", Key::MetaName.text(lang))])}
                </label>
                <textarea id=id rows="4" dir=lang.dir().as_str() lang=lang.code()
                    aria-describedby="canned-body-hint canned-body-error"
                    prop:value=move || body.get()
                    on:input=move |event| body.set(event_target_value(&event))></textarea>
            </div>
        }
    };
    view! {
        <section class="admin canned-admin" aria-labelledby="canned-title">
            <h1 id="canned-title">{move || i18n.tr(ConsoleKey::CannedReplies)}</h1>
            {move || match replies.get() {
                None => Some(view! { <p class="loading" role="status">{i18n.t(Key::Loading)}</p> }.into_any()),
                Some(Err(error)) => Some(view! { <p role="alert">{error.staff_message(i18n)}</p> }.into_any()),
                Some(Ok(list)) if list.is_empty() => Some(view! { <p class="empty">{i18n.tr(ConsoleKey::CannedEmpty)}</p> }.into_any()),
                Some(Ok(_)) => None,
            }}
            <div class="field canned-filter">
                <label for="canned-filter">{move || i18n.tr(ConsoleKey::CannedSearch)}</label>
                <input id="canned-filter" type="search" dir="auto" autocomplete="off"
                    prop:value=move || wanted.get()
                    on:input=move |event| wanted.set(event_target_value(&event)) />
            </div>
            <p class="empty" role="status">
                {move || none_match().then(|| i18n.tr(ConsoleKey::CannedNone))}
            </p>
            <ul class="canned-admin-list">
                <For each=list key=|r| (r.id, r.updated_at) let:reply>
                    <li>
                        <bdi class="canned-name">{reply.title.clone()}</bdi>
                        <span class="canned-whose">{move || i18n.tr(if reply.shared { ConsoleKey::CannedShared } else { ConsoleKey::CannedMine })}</span>
                        {reply.editable.then(|| {
                            let (id, shown) = (reply.id, reply.clone());
                            view! {
                                <button type="button" class="link-button" on:click=move |_| form.load(Some(&shown))>
                                    {move || i18n.tr(ConsoleKey::CannedEdit)}
                                </button>
                                <button type="button" class="link-button" disabled=move || remove.pending().get()
                                    on:click=move |_| { remove.dispatch(id); }>
                                    {move || i18n.tr(ConsoleKey::CannedDelete)}
                                </button>
                            }
                        })}
                    </li>
                </For>
            </ul>
            <form class="card canned-form" novalidate on:submit=submit aria-labelledby="canned-form-title">
                <h2 id="canned-form-title">
                    {move || i18n.tr(if form.editing.get().is_some() { ConsoleKey::CannedEdit } else { ConsoleKey::CannedNew })}
                </h2>
                <div class="field" class:invalid=move || problem(Field::Title).is_some()>
                    <label for="canned-title-input">{move || i18n.tr(ConsoleKey::CannedTitle)}</label>
                    <input id="canned-title-input" type="text" dir="auto"
                        aria-describedby="canned-title-error"
                        aria-invalid=move || problem(Field::Title).is_some().to_string()
                        prop:value=move || form.title.get()
                        on:input=move |event| form.title.set(event_target_value(&event)) />
                    <p class="field-error" id="canned-title-error">{move || problem(Field::Title)}</p>
                </div>
                <p class="hint" id="canned-body-hint">{move || i18n.tr(ConsoleKey::CannedBodyHint)}</p>
                {form.bodies.map(body_field).into_iter().collect_view()}
                <p class="field-error" id="canned-body-error">
                    {move || problem(Field::Body).or_else(|| problem(Field::Lang))}
                </p>
                {move || admin.then(|| view! {
                    <label class="check">
                        <input type="checkbox" prop:checked=move || form.shared.get()
                            on:change=move |event| form.shared.set(event_target_checked(&event)) />
                        {move || i18n.tr(ConsoleKey::CannedShareWithAll)}
                    </label>
                })}
                <p role="alert" class="field-error">
                    {move || failed().filter(|e| e.fields().is_empty()).map(|e| e.staff_message(i18n))}
                </p>
                <p role="status">{move || notice.get().map(|key| i18n.tr(key))}</p>
                <div class="actions">
                    <button type="submit" class="button primary" disabled=move || save.pending().get()>
                        {move || i18n.tr(ConsoleKey::CannedSave)}
                    </button>
                    {move || form.editing.get().is_some().then(|| view! {
                        <button type="button" class="button secondary" on:click=move |_| form.load(None)>
                            {move || i18n.tr(ConsoleKey::CannedCancel)}
                        </button>
                    })}
                </div>
            </form>
        </section>
    }
}

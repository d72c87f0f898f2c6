//! `/console`: the queue. The filters live in the address (`?status=…`) so
//! that Back, a reload or a shared link give the same view; the list follows
//! the live feed (refetched, never reloaded) and grows page by page with the
//! server's cursor.

mod filters;
mod keys;
mod list;
mod sidebar;

use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_query_map},
};
use shared::{
    console::{QueuePage as Page, QueueQuery},
    i18n::{ConsoleKey, Key, Lang},
};

use crate::{
    api::{self, ApiError, StaffMessage, from_wire_name},
    app::use_title,
    i18n::{Console, use_i18n},
    live::use_live,
};

/// The queue as loaded: one or more pages, merged.
type Queue = LocalResource<Result<Page, ApiError>>;

#[component]
pub fn QueuePage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(ConsoleKey::Queue);
    keys::use_queue_keys();
    let live = use_live();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| {
            let get = |name: &str| p.get(name);
            QueueQuery {
                status: get("status")
                    .and_then(|v| from_wire_name(&v))
                    .unwrap_or_default(),
                department: get("department").filter(|d| !d.is_empty()),
                assignee: get("assignee")
                    .and_then(|v| from_wire_name(&v))
                    .unwrap_or_default(),
                priority: get("priority").and_then(|v| from_wire_name(&v)),
                sort: get("sort")
                    .and_then(|v| from_wire_name(&v))
                    .unwrap_or_default(),
                after: None,
                q: get("q").filter(|q| !q.trim().is_empty()),
            }
        })
    });
    let navigate = use_navigate();
    let set_query = Callback::new(move |next: QueueQuery| {
        let search = api::tickets::query_string(&next);
        let path = if search.is_empty() {
            "/console".to_owned()
        } else {
            format!("/console?{search}")
        };
        // Typing a search replaces the entry instead of adding one per word.
        let current = query.get_untracked();
        let replace = next.q != current.q
            && QueueQuery {
                q: None,
                ..next.clone()
            } == QueueQuery { q: None, ..current };
        navigate(
            &path,
            NavigateOptions {
                replace,
                ..NavigateOptions::default()
            },
        );
    });

    // How many pages are on screen: a live refetch brings back as many.
    let pages = StoredValue::new(1usize);
    let shown_query = StoredValue::new(None::<QueueQuery>);
    let queue: Queue = LocalResource::new(move || {
        let query = query.get();
        let lang = i18n.lang.get();
        live.tick.track();
        if shown_query.get_value().as_ref() != Some(&query) {
            pages.set_value(1);
            shown_query.set_value(Some(query.clone()));
        }
        load(query, lang, pages.get_value())
    });
    let more = Action::new_local(move |after: &String| {
        let next = api::tickets::queue(
            &QueueQuery {
                after: Some(after.clone()),
                ..query.get_untracked()
            },
            i18n.lang.get_untracked(),
        );
        async move {
            let page = next.await?;
            queue.update(|q| {
                if let Some(Ok(shown)) = q {
                    append(shown, page);
                }
            });
            pages.update_value(|n| *n += 1);
            Ok::<_, ApiError>(())
        }
    });
    // The search field's text; the server searches once it is sent (`q`).
    let search = RwSignal::new(query.get_untracked().q.unwrap_or_default());
    // Changes only with the kind of content, so a live refetch updates the
    // rows in place instead of rebuilding the list (and losing the focus).
    let shown = Memo::new(move |_| {
        queue.with(|q| match q {
            None => Shown::Loading,
            Some(Ok(_)) => Shown::Loaded,
            Some(Err(error)) => Shown::Failed(error.clone()),
        })
    });

    view! {
        <div class="queue-layout">
            <sidebar::Counts queue query />
            <section class="queue-main" aria-labelledby="queue-title">
                <h1 id="queue-title">{move || i18n.tr(ConsoleKey::Queue)}</h1>
                <filters::Filters query set_query search />
                {move || match shown.get() {
                    Shown::Loading => view! { <p class="loading" role="status">{i18n.t(Key::Loading)}</p> }.into_any(),
                    Shown::Failed(error) => view! {
                        <p role="alert" class="notice-error">{error.staff_message(i18n)}</p>
                        <button type="button" class="button secondary" on:click=move |_| queue.refetch()>
                            {i18n.t(Key::TryAgain)}
                        </button>
                    }
                    .into_any(),
                    Shown::Loaded => view! { <list::Tickets queue query more /> }.into_any(),
                }}
            </section>
        </div>
    }
}

#[derive(Clone, PartialEq)]
enum Shown {
    Loading,
    Failed(ApiError),
    Loaded,
}

/// The first `pages` pages of the queue, merged.
async fn load(query: QueueQuery, lang: Lang, pages: usize) -> Result<Page, ApiError> {
    let mut shown = api::tickets::queue(&query, lang).await?;
    for _ in 1..pages {
        let Some(after) = shown.next.clone() else {
            break;
        };
        let page = api::tickets::queue(
            &QueueQuery {
                after: Some(after),
                ..query.clone()
            },
            lang,
        )
        .await?;
        append(&mut shown, page);
    }
    Ok(shown)
}

/// Adds the next page (skipping a ticket that moved up meanwhile) and takes
/// its cursor and counts, which are the newer.
fn append(shown: &mut Page, page: Page) {
    for ticket in page.tickets {
        if !shown
            .tickets
            .iter()
            .any(|t| t.reference == ticket.reference)
        {
            shown.tickets.push(ticket);
        }
    }
    shown.next = page.next;
    shown.counts = page.counts;
}

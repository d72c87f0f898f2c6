//! On the staff page (admins): each member's ratings over the last 30 days
//! — good, not good and the share of good — as one small table.

use leptos::prelude::*;
use shared::{i18n::ConsoleKey, satisfaction::AgentRatings};

use crate::{
    api::{self, StaffMessage},
    i18n::{Console, use_i18n},
};

#[component]
pub fn Ratings() -> impl IntoView {
    let i18n = use_i18n();
    let ratings = LocalResource::new(api::admin::ratings);
    let rows = move || match ratings.get() {
        Some(Ok(list)) => list,
        _ => Vec::new(),
    };
    let failed = move || match ratings.get() {
        Some(Err(error)) => Some(error.staff_message(i18n)),
        _ => None,
    };
    let empty = move || matches!(ratings.get(), Some(Ok(list)) if list.is_empty());
    let count = move |n: u32| i18n.number(f64::from(n));
    view! {
        <section class="card ratings" aria-labelledby="ratings-title">
            <h2 id="ratings-title">{move || i18n.tr(ConsoleKey::Ratings)}</h2>
            <p class="hint">{move || i18n.tr(ConsoleKey::RatingsIntro)}</p>
            <p role="alert" class="field-error">{failed}</p>
            {move || if empty() {
                view! { <p>{i18n.tr(ConsoleKey::RatingsNone)}</p> }.into_any()
            } else {
                view! {
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{move || i18n.tr(ConsoleKey::RatingsMember)}</th>
                                <th scope="col">{move || i18n.tr(ConsoleKey::RatingsGood)}</th>
                                <th scope="col">{move || i18n.tr(ConsoleKey::RatingsNotGood)}</th>
                                <th scope="col">{move || i18n.tr(ConsoleKey::RatingsShare)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=rows key=|r: &AgentRatings| (r.staff_id, r.good, r.not_good) let:row>
                                <tr>
                                    <th scope="row"><bdi>{row.name.clone()}</bdi></th>
                                    <td>{count(row.good)}</td>
                                    <td>{count(row.not_good)}</td>
                                    <td>{count(row.percent_good())}</td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

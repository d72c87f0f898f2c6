//! The customer's rating of the ticket, when there is one: good or not,
//! for whom, when, and the comment — plain text, as typed.

use leptos::prelude::*;
use shared::i18n::ConsoleKey;

use super::{Ticket, loaded};
use crate::i18n::{Console, use_i18n};

#[component]
pub fn Rating(
    /// The page's ticket.
    ticket: Ticket,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        loaded(ticket, |t| t.rating.clone())
            .flatten()
            .map(|rating| {
                let verdict = if rating.good {
                    ConsoleKey::RatingGood
                } else {
                    ConsoleKey::RatingNotGood
                };
                view! {
                    <section class="card rating" aria-labelledby="rating-title">
                        <h2 id="rating-title">{i18n.tr(ConsoleKey::RatingTitle)}</h2>
                        <p class="rating-verdict" class:rating-good=rating.good>
                            <strong>{i18n.tr(verdict)}</strong>
                            " · "
                            <span>{i18n.relative(rating.rated_at)}</span>
                        </p>
                        {rating.agent.map(|name| view! {
                            <p>{i18n.tr_fill(ConsoleKey::RatingFor, &[("name", &name)])}</p>
                        })}
                        {rating.comment.map(|comment| view! {
                            <h3>{i18n.tr(ConsoleKey::RatingComment)}</h3>
                            <p class="rating-comment"><bdi>{comment}</bdi></p>
                        })}
                    </section>
                }
            })
    }
}

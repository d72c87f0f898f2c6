//! A ticket's answers to its department's form, as entries of the page's
//! facts list (`<dl>`): the customer's ticket page and the console's ticket
//! show them alike.

use leptos::prelude::*;
use shared::forms::Answer;

/// One `<div><dt>label</dt><dd>answer</dd></div>` per answer; the answer
/// sits in `<bdi>`, as it may be in another direction than the page.
pub fn answer_facts(answers: Vec<Answer>) -> impl IntoView {
    answers
        .into_iter()
        .map(|answer| {
            view! {
                <div><dt>{answer.label}</dt><dd><bdi>{answer.value}</bdi></dd></div>
            }
        })
        .collect_view()
}

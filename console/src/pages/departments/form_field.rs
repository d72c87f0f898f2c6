//! One field of a department's form being edited: its kind, whether it is
//! required, the characters a text accepts, its label and hint in every
//! language and, for a choice, the choices; moved up or down, or removed.

use leptos::prelude::*;
use shared::{
    forms::{Choice, FormField, Kind, Localized, Pattern},
    i18n::{ConsoleKey, Key, Lang, Text},
};

use crate::{
    components::{field::Field, select::Select},
    i18n::{Console, use_i18n},
};

/// A language's name in itself, as the label of that language's input.
#[derive(Clone, Copy)]
struct LangName(Lang);

impl Text for LangName {
    fn in_lang(self, _: Lang) -> &'static str {
        Key::MetaName.text(self.0)
    }
}

/// A text in every language, being edited.
#[derive(Clone)]
struct Words(Vec<(Lang, RwSignal<String>)>);

impl Words {
    fn new(from: &Localized) -> Words {
        Words(
            Lang::ALL
                .iter()
                .map(|&lang| {
                    let text = from.0.iter().find(|(l, _)| *l == lang);
                    (
                        lang,
                        RwSignal::new(text.map(|(_, t)| t.clone()).unwrap_or_default()),
                    )
                })
                .collect(),
        )
    }

    fn get(&self) -> Localized {
        Localized(
            self.0
                .iter()
                .map(|(lang, text)| (*lang, text.get_untracked().trim().to_owned()))
                .filter(|(_, text)| !text.is_empty())
                .collect(),
        )
    }

    /// A fieldset of one input per language.
    fn view(&self, id: String, legend: ConsoleKey) -> impl IntoView + use<> {
        let i18n = use_i18n();
        let inputs = self
            .0
            .iter()
            .map(|&(lang, value)| {
                view! { <Field id=format!("{id}-{}", lang.code()) label=LangName(lang) value=value /> }
            })
            .collect_view();
        view! {
            <fieldset class="form-words">
                <legend>{move || i18n.tr(legend)}</legend>
                {inputs}
            </fieldset>
        }
    }
}

#[derive(Clone)]
struct EditedChoice {
    key: String,
    label: Words,
}

/// A field being edited; `row` keeps its place in the page's list while
/// it moves.
#[derive(Clone)]
pub struct Edited {
    pub row: usize,
    id: i64,
    kind: RwSignal<Kind>,
    required: RwSignal<bool>,
    pattern: RwSignal<Option<Pattern>>,
    label: Words,
    hint: Words,
    options: RwSignal<Vec<EditedChoice>>,
}

impl Edited {
    pub fn new(row: usize, field: &FormField<Localized>) -> Edited {
        Edited {
            row,
            id: field.id,
            kind: RwSignal::new(field.kind),
            required: RwSignal::new(field.required),
            pattern: RwSignal::new(field.pattern),
            label: Words::new(&field.label),
            hint: Words::new(&field.hint),
            options: RwSignal::new(
                field
                    .options
                    .iter()
                    .map(|choice| EditedChoice {
                        key: choice.key.clone(),
                        label: Words::new(&choice.label),
                    })
                    .collect(),
            ),
        }
    }

    /// The field as sent: a pattern only for text, choices only for a choice.
    pub fn field(&self) -> FormField<Localized> {
        let kind = self.kind.get_untracked();
        FormField {
            id: self.id,
            kind,
            required: self.required.get_untracked(),
            pattern: self.pattern.get_untracked().filter(|_| kind == Kind::Text),
            label: self.label.get(),
            hint: self.hint.get(),
            options: match kind {
                Kind::Select => self.options.with_untracked(|options| {
                    options
                        .iter()
                        .map(|c| Choice {
                            key: c.key.clone(),
                            label: c.label.get(),
                        })
                        .collect()
                }),
                _ => Vec::new(),
            },
        }
    }
}

fn kind_name(kind: Kind) -> (&'static str, ConsoleKey) {
    match kind {
        Kind::Text => ("text", ConsoleKey::FormKindText),
        Kind::Number => ("number", ConsoleKey::FormKindNumber),
        Kind::Select => ("select", ConsoleKey::FormKindSelect),
        Kind::Date => ("date", ConsoleKey::FormKindDate),
    }
}

fn pattern_name(pattern: Option<Pattern>) -> (&'static str, ConsoleKey) {
    match pattern {
        None => ("", ConsoleKey::FormPatternAny),
        Some(Pattern::Digits) => ("digits", ConsoleKey::FormPatternDigits),
        Some(Pattern::LettersDigits) => ("letters_digits", ConsoleKey::FormPatternLettersDigits),
        Some(Pattern::Email) => ("email", ConsoleKey::FormPatternEmail),
        Some(Pattern::Phone) => ("phone", ConsoleKey::FormPatternPhone),
    }
}

/// Moves the field with `row` by `by` places in `list` (if it can).
fn shift(list: RwSignal<Vec<Edited>>, row: usize, by: isize) {
    list.update(|list| {
        let Some(from) = list.iter().position(|e| e.row == row) else {
            return;
        };
        let to = from.saturating_add_signed(by);
        if to < list.len() {
            list.swap(from, to);
        }
    });
}

#[component]
pub fn FieldEditor(slug: String, edited: Edited, list: RwSignal<Vec<Edited>>) -> impl IntoView {
    let i18n = use_i18n();
    let row = edited.row;
    let id = format!("{slug}-field-{row}");
    let number = move || {
        let index = list.with(|l| l.iter().position(|e| e.row == row).unwrap_or(0));
        i18n.tr_fill(
            ConsoleKey::FormFieldNumber,
            &[("number", &i18n.number(index as f64 + 1.0))],
        )
    };
    let (kind, pattern, required, options) =
        (edited.kind, edited.pattern, edited.required, edited.options);
    let kinds = Signal::derive(move || {
        Kind::ALL
            .iter()
            .map(|&k| {
                (
                    kind_name(k).0.to_owned(),
                    i18n.tr(kind_name(k).1).to_owned(),
                )
            })
            .collect::<Vec<_>>()
    });
    let patterns = Signal::derive(move || {
        std::iter::once(None)
            .chain(Pattern::ALL.map(Some))
            .map(|p| {
                (
                    pattern_name(p).0.to_owned(),
                    i18n.tr(pattern_name(p).1).to_owned(),
                )
            })
            .collect::<Vec<_>>()
    });
    let choose_kind = Callback::new(move |name: String| {
        if let Some(&k) = Kind::ALL.iter().find(|&&k| kind_name(k).0 == name) {
            kind.set(k);
        }
    });
    let choose_pattern = Callback::new(move |name: String| {
        let chosen = std::iter::once(None).chain(Pattern::ALL.map(Some));
        pattern.set(
            chosen
                .into_iter()
                .find(|&p| pattern_name(p).0 == name)
                .flatten(),
        );
    });
    let add_choice = move |_| {
        options.update(|options| {
            let key = (1..)
                .map(|n| format!("choice_{n}"))
                .find(|key| options.iter().all(|c| &c.key != key))
                .unwrap_or_default();
            options.push(EditedChoice {
                key,
                label: Words::new(&Localized::default()),
            });
        })
    };
    let choices = {
        let id = id.clone();
        move || {
            options
                .get()
                .into_iter()
                .enumerate()
                .map(|(index, choice)| {
                    let key = choice.key.clone();
                    let legend = i18n.tr_fill(ConsoleKey::FormOptionNumber, &[("number", &i18n.number(index as f64 + 1.0))]);
                    view! {
                        <div class="form-choice">
                            <p class="choice-title">{legend}</p>
                            {choice.label.view(format!("{id}-choice-{}", choice.key), ConsoleKey::FormFieldLabel)}
                            <button type="button" class="link-button" on:click=move |_| options.update(|o| o.retain(|c| c.key != key))>
                                {move || i18n.tr(ConsoleKey::FormRemoveOption)}
                            </button>
                        </div>
                    }
                })
                .collect_view()
        }
    };
    let pattern_id = format!("{id}-pattern");
    view! {
        <fieldset class="form-field">
            <legend>{number}</legend>
            <Select id=format!("{id}-kind") label=ConsoleKey::FormFieldKind options=kinds
                value=Signal::derive(move || kind_name(kind.get()).0.to_owned()) on_change=choose_kind />
            <div class="check">
                <input type="checkbox" id=format!("{id}-required") prop:checked=move || required.get()
                    on:change=move |event| required.set(event_target_checked(&event)) />
                <label for=format!("{id}-required")>{move || i18n.tr(ConsoleKey::FormFieldRequired)}</label>
            </div>
            <Show when=move || kind.get() == Kind::Text>
                <Select id=pattern_id.clone() label=ConsoleKey::FormFieldPattern options=patterns
                    value=Signal::derive(move || pattern_name(pattern.get()).0.to_owned()) on_change=choose_pattern />
            </Show>
            {edited.label.view(format!("{id}-label"), ConsoleKey::FormFieldLabel)}
            {edited.hint.view(format!("{id}-hint"), ConsoleKey::FormFieldHint)}
            <Show when=move || kind.get() == Kind::Select>
                {choices.clone()}
                <button type="button" class="button secondary" on:click=add_choice>
                    {move || i18n.tr(ConsoleKey::FormAddOption)}
                </button>
            </Show>
            <div class="actions">
                <button type="button" class="button secondary" on:click=move |_| shift(list, row, -1)>
                    {move || i18n.tr(ConsoleKey::FormMoveUp)}
                </button>
                <button type="button" class="button secondary" on:click=move |_| shift(list, row, 1)>
                    {move || i18n.tr(ConsoleKey::FormMoveDown)}
                </button>
                <button type="button" class="button secondary" on:click=move |_| list.update(|l| l.retain(|e| e.row != row))>
                    {move || i18n.tr(ConsoleKey::FormRemoveField)}
                </button>
            </div>
        </fieldset>
    }
}

//! Department forms: the extra fields an admin gives a department, and the
//! one rule per kind that checks a customer's answer in the wizard and on
//! the server alike.
//!
//! Patterns are a small fixed set rather than regular expressions: a regex
//! engine would weigh more than the rest of the customer's validation, and
//! a named pattern can say in every language what it wants.

use serde::{Deserialize, Serialize};

use crate::{
    digits::to_ascii_digits,
    i18n::{Key, Lang},
    limits::{
        FORM_FIELDS_MAX, FORM_HINT_MAX, FORM_KEY_MAX, FORM_LABEL_MAX, FORM_OPTIONS_MAX,
        FORM_VALUE_MAX,
    },
    validate::{Email, Field, FieldError, Problem},
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Text,
    Number,
    Select,
    Date,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Text, Kind::Number, Kind::Select, Kind::Date];
}

/// What a text field accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// Digits; spaces and dashes between them are dropped.
    Digits,
    /// Letters and digits of any script.
    LettersDigits,
    Email,
    /// Digits, `+` in front; spaces, dashes and brackets are dropped.
    Phone,
}

impl Pattern {
    pub const ALL: [Pattern; 4] = [
        Pattern::Digits,
        Pattern::LettersDigits,
        Pattern::Email,
        Pattern::Phone,
    ];

    /// The sentence telling the customer what the pattern wants.
    pub fn error_key(self) -> Key {
        match self {
            Pattern::Digits => Key::ErrPatternDigits,
            Pattern::LettersDigits => Key::ErrPatternLettersDigits,
            Pattern::Email => Key::ErrInvalidEmail,
            Pattern::Phone => Key::ErrPatternPhone,
        }
    }

    /// The value as kept (Persian and Arabic digits as ASCII).
    fn check(self, value: &str) -> Result<String, Problem> {
        let wrong = Problem::Pattern { pattern: self };
        let ascii = to_ascii_digits(value);
        let kept = |drop: &[char]| ascii.chars().filter(|c| !drop.contains(c)).collect();
        match self {
            Pattern::Digits => {
                let digits: String = kept(&[' ', '-']);
                digits.chars().all(|c| c.is_ascii_digit()).then_some(digits)
            }
            Pattern::LettersDigits => ascii
                .chars()
                .all(char::is_alphanumeric)
                .then_some(ascii.clone()),
            Pattern::Email => {
                return Email::parse(value)
                    .map(|email| email.as_str().to_owned())
                    .map_err(|problem| match problem {
                        Problem::Invalid => wrong,
                        other => other,
                    });
            }
            Pattern::Phone => {
                let phone: String = kept(&[' ', '-', '(', ')']);
                let digits = phone.strip_prefix('+').unwrap_or(&phone);
                (digits.chars().all(|c| c.is_ascii_digit()) && (5..=15).contains(&digits.len()))
                    .then_some(phone)
            }
        }
        .ok_or(wrong)
    }
}

/// A text in every language an admin wrote it in; English is the fallback.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Localized(pub Vec<(Lang, String)>);

impl Localized {
    /// The text in `lang`, else in English, else empty.
    pub fn get(&self, lang: Lang) -> &str {
        let find = |lang| {
            self.0
                .iter()
                .find(|(l, text)| *l == lang && !text.trim().is_empty())
                .map(|(_, text)| text.as_str())
        };
        find(lang).or_else(|| find(Lang::En)).unwrap_or_default()
    }
}

/// One choice of a select field: `key` is what is sent and kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice<T> {
    pub key: String,
    pub label: T,
}

/// A field of a department's form. `T` holds its words: `Localized` as
/// admins edit and the server keeps it, `String` in one language as the
/// wizard gets it (so the customer's bundle carries no per-language map).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormField<T> {
    /// 0 for a field not saved yet.
    #[serde(default)]
    pub id: i64,
    pub kind: Kind,
    #[serde(default)]
    pub required: bool,
    /// Text fields only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<Pattern>,
    pub label: T,
    pub hint: T,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice<T>>,
}

impl<T> FormField<T> {
    /// The answer as kept (trimmed, digits in ASCII, a date as
    /// `YYYY-MM-DD`), empty for an optional field left empty.
    pub fn check(&self, value: &str) -> Result<String, Problem> {
        let value = value.trim();
        if value.is_empty() {
            return if self.required {
                Err(Problem::Required)
            } else {
                Ok(String::new())
            };
        }
        if value.chars().count() > FORM_VALUE_MAX {
            return Err(Problem::TooLong {
                max: FORM_VALUE_MAX,
            });
        }
        match self.kind {
            Kind::Text => self
                .pattern
                .map_or_else(|| Ok(value.to_owned()), |p| p.check(value)),
            Kind::Number => number(value),
            Kind::Select => self
                .choice(value)
                .map(|choice| choice.key.clone())
                .ok_or(Problem::NotAnOption),
            Kind::Date => date(value),
        }
    }

    pub fn choice(&self, key: &str) -> Option<&Choice<T>> {
        self.options.iter().find(|choice| choice.key == key)
    }
}

impl FormField<Localized> {
    /// The field as the wizard shows it in `lang`.
    pub fn in_lang(&self, lang: Lang) -> FormField<String> {
        FormField {
            id: self.id,
            kind: self.kind,
            required: self.required,
            pattern: self.pattern,
            label: self.label.get(lang).to_owned(),
            hint: self.hint.get(lang).to_owned(),
            options: self
                .options
                .iter()
                .map(|choice| Choice {
                    key: choice.key.clone(),
                    label: choice.label.get(lang).to_owned(),
                })
                .collect(),
        }
    }
}

/// `POST /api/tickets`: the customer's answer to one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldValue {
    pub id: i64,
    pub value: String,
}

/// An answer as a ticket shows it: the field's label and the answer (a
/// choice's label), in the reader's language, as they were worded when the
/// ticket was opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub label: String,
    pub value: String,
}

/// A number: an optional minus, digits, an optional fraction. Persian and
/// Arabic digits and the Arabic decimal separator are accepted.
fn number(value: &str) -> Result<String, Problem> {
    let ascii = to_ascii_digits(value).replace('\u{066B}', ".");
    let unsigned = ascii.strip_prefix('-').unwrap_or(&ascii);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if digits(whole) && digits(fraction) {
        Ok(ascii)
    } else {
        Err(Problem::NotANumber)
    }
}

/// A Gregorian date as `<input type="date">` sends it: `YYYY-MM-DD`.
fn date(value: &str) -> Result<String, Problem> {
    let ascii = to_ascii_digits(value);
    let parts: Vec<&str> = ascii.split('-').collect();
    let number = |part: &str, len: usize| {
        (part.len() == len && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let [year, month, day] = parts[..] else {
        return Err(Problem::NotADate);
    };
    let (Some(year), Some(month), Some(day)) = (number(year, 4), number(month, 2), number(day, 2))
    else {
        return Err(Problem::NotADate);
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    };
    if year >= 1000 && (1..=days).contains(&day) {
        Ok(ascii)
    } else {
        Err(Problem::NotADate)
    }
}

/// An admin's list of fields, checked before it is saved. A problem names
/// the field by its place in the list (`Field::Form(index)`).
pub fn check_definitions(fields: &[FormField<Localized>]) -> Result<(), FieldError> {
    if fields.len() > FORM_FIELDS_MAX {
        return Err(FieldError {
            field: Field::Form(FORM_FIELDS_MAX as i64),
            problem: Problem::TooLong {
                max: FORM_FIELDS_MAX,
            },
        });
    }
    fields.iter().zip(0..).try_for_each(|(field, index)| {
        check_definition(field).map_err(|problem| FieldError {
            field: Field::Form(index),
            problem,
        })
    })
}

fn check_definition(field: &FormField<Localized>) -> Result<(), Problem> {
    check_words(&field.label, FORM_LABEL_MAX, true)?;
    check_words(&field.hint, FORM_HINT_MAX, false)?;
    if field.pattern.is_some() && field.kind != Kind::Text {
        return Err(Problem::Invalid);
    }
    if field.kind != Kind::Select {
        return if field.options.is_empty() {
            Ok(())
        } else {
            Err(Problem::Invalid)
        };
    }
    if field.options.is_empty() {
        return Err(Problem::Required);
    }
    if field.options.len() > FORM_OPTIONS_MAX {
        return Err(Problem::TooLong {
            max: FORM_OPTIONS_MAX,
        });
    }
    for (index, choice) in field.options.iter().enumerate() {
        let key_ok = !choice.key.is_empty()
            && choice.key.len() <= FORM_KEY_MAX
            && choice
                .key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            && field.options[..index].iter().all(|c| c.key != choice.key);
        if !key_ok {
            return Err(Problem::Invalid);
        }
        check_words(&choice.label, FORM_LABEL_MAX, true)?;
    }
    Ok(())
}

/// English is required where a text is: every other language falls back to it.
fn check_words(words: &Localized, max: usize, required: bool) -> Result<(), Problem> {
    if required && words.get(Lang::En).is_empty() {
        return Err(Problem::Required);
    }
    match words
        .0
        .iter()
        .any(|(_, text)| text.trim().chars().count() > max)
    {
        true => Err(Problem::TooLong { max }),
        false => Ok(()),
    }
}

#[cfg(test)]
mod tests;

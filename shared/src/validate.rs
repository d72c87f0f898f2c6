//! Validated values. Each type has a private field and one constructor,
//! `parse`, so a value that exists is valid. The browser calls the same
//! `parse` on every keystroke that the server calls on every request.
//!
//! Lengths are counted in Unicode scalar values after trimming, not bytes:
//! a Persian subject of 150 letters is 300 bytes of UTF-8.

use crate::{
    digits::to_ascii_digits,
    limits::{DESCRIPTION_MAX, DESCRIPTION_MIN, REPLY_MIN, SUBJECT_MAX, SUBJECT_MIN},
};
use serde::{Deserialize, Serialize};

/// What is wrong with a value; the browser turns it into a translated sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    Invalid,
    /// No such department (or it is not available).
    Unknown,
    TooManyFiles {
        max: usize,
    },
    FileTooLarge {
        max: u64,
    },
    TotalTooLarge {
        max: u64,
    },
    FileType,
    /// Letters before the `@` that most mail servers cannot deliver to
    /// (they lack SMTPUTF8).
    NonAsciiMailbox,
    /// A domain label mixing alphabets, or Cyrillic letters that all look
    /// Latin: a look-alike of another address.
    MixedScripts,
    /// The `+tag` of `name+tag@…` is longer than a real one.
    TagTooLong {
        max: usize,
    },
    /// The domain cannot be written in the form mail servers use
    /// (checked by the server, which has the IDNA tables).
    Undeliverable,
    /// A password that is among the most used (or the account's own address).
    CommonPassword,
    /// An address that already belongs to someone (a staff invitation).
    Taken,
    /// A department form's answer that does not match the field's pattern.
    Pattern {
        pattern: crate::forms::Pattern,
    },
    NotANumber,
    NotADate,
    /// A select field's answer that is none of its choices.
    NotAnOption,
}

/// The form fields a problem can be attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Channel,
    Email,
    Department,
    Subject,
    Description,
    Attachments,
    Reference,
    Body,
    /// A canned reply's title.
    Title,
    /// Staff sign-in and administration.
    Password,
    Name,
    Code,
    /// Changing a password or an address, deleting an account: the
    /// password the account has now.
    CurrentPassword,
    /// A customer account's preferred language.
    Lang,
    /// A department form's field, by id (by place in the list when an
    /// admin saves the fields).
    Form(i64),
}

/// One problem with one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    #[serde(flatten)]
    pub problem: Problem,
}

fn check_length(value: &str, min: usize, max: usize) -> Result<(), Problem> {
    let count = value.chars().count();
    if count == 0 {
        Err(Problem::Required)
    } else if count < min {
        Err(Problem::TooShort { min })
    } else if count > max {
        Err(Problem::TooLong { max })
    } else {
        Ok(())
    }
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $min:expr, $max:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Trims the input and checks its length.
            pub fn parse(input: &str) -> Result<Self, Problem> {
                let trimmed = input.trim();
                check_length(trimmed, $min, $max)?;
                Ok(Self(trimmed.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

text_type!(
    /// A ticket subject: 3–150 characters.
    Subject,
    SUBJECT_MIN,
    SUBJECT_MAX
);
text_type!(
    /// A ticket description: 10–20,000 characters.
    Description,
    DESCRIPTION_MIN,
    DESCRIPTION_MAX
);
text_type!(
    /// A reply in a ticket's conversation: 1–20,000 characters.
    ReplyBody,
    REPLY_MIN,
    DESCRIPTION_MAX
);

mod email;
pub use email::Email;

/// A ticket reference as customers see it: ten digits, `12345-67890`.
/// Persian and Arabic digits, spaces and a missing dash are accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference(String);

impl Reference {
    pub const DIGITS: usize = 10;

    pub fn parse(input: &str) -> Result<Self, Problem> {
        let ascii = to_ascii_digits(input);
        let digits: String = ascii
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if digits.is_empty() {
            return Err(Problem::Required);
        }
        if digits.len() != Self::DIGITS || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(Problem::Invalid);
        }
        Ok(Self(format!("{}-{}", &digits[..5], &digits[5..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_limits_count_characters_not_bytes() {
        let persian = "پ".repeat(150);
        assert!(Subject::parse(&persian).is_ok(), "150 Persian letters fit");
        assert_eq!(
            Subject::parse(&"پ".repeat(151)),
            Err(Problem::TooLong { max: 150 })
        );
        assert_eq!(Subject::parse("  "), Err(Problem::Required));
        assert_eq!(Subject::parse("ab"), Err(Problem::TooShort { min: 3 }));
        assert_eq!(Subject::parse("  abc  ").map(|s| s.0), Ok("abc".to_owned()));
    }

    #[test]
    fn description_limits() {
        assert_eq!(
            Description::parse("too short"),
            Err(Problem::TooShort { min: 10 })
        );
        assert!(Description::parse("long enough text").is_ok());
        assert_eq!(
            Description::parse(&"x".repeat(20_001)),
            Err(Problem::TooLong { max: 20_000 })
        );
    }

    #[test]
    fn references_accept_persian_digits_and_loose_formatting() {
        for input in ["12345-67890", "1234567890", " 12345 67890 ", "۱۲۳۴۵-۶۷۸۹۰"] {
            assert_eq!(
                Reference::parse(input).map(|r| r.0),
                Ok("12345-67890".to_owned()),
                "{input:?}"
            );
        }
        assert_eq!(Reference::parse(""), Err(Problem::Required));
        assert_eq!(Reference::parse("12345"), Err(Problem::Invalid));
        assert_eq!(Reference::parse("12345-6789x"), Err(Problem::Invalid));
    }

    #[test]
    fn field_errors_serialise_with_a_code_and_parameters() {
        let error = FieldError {
            field: Field::Subject,
            problem: Problem::TooShort { min: 3 },
        };
        let json = serde_json::to_string(&error).expect("serialise");
        assert_eq!(json, r#"{"field":"subject","code":"too_short","min":3}"#);
        let back: FieldError = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, error);
    }
}

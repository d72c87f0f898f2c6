//! Canned replies: shared ones (kept by admins) and each member's own, with
//! a body per language and placeholders filled when one is inserted. The
//! rules (lengths, one body per language, which variant a ticket gets, how
//! placeholders fill) live here, so the console's form and the server agree.

use serde::{Deserialize, Serialize};

use crate::{
    i18n::Lang,
    text::fold_for_search,
    validate::{Field, FieldError, Problem, ReplyBody},
};

/// A title is what the picker lists: a line, not a paragraph.
pub const CANNED_TITLE_MAX: usize = 80;

/// The placeholders a body may hold; any other `{name}` stays as typed.
pub const PLACEHOLDERS: [&str; 3] = ["{reference}", "{customer_email}", "{agent_name}"];

/// A canned reply's body in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedVariant {
    pub lang: Lang,
    pub body: String,
}

/// `GET /api/console/canned`: a canned reply the member may use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedReply {
    pub id: i64,
    pub title: String,
    /// Everyone's (kept by admins); otherwise the member's own.
    pub shared: bool,
    /// Whether the member asking may change or delete it.
    pub editable: bool,
    pub variants: Vec<CannedVariant>,
    pub updated_at: i64,
}

impl CannedReply {
    /// Whether what a member typed to find a reply is in its title or a
    /// body, spellings folded as the ticket search folds them (nothing
    /// typed: every reply). The picker and the management page both filter
    /// with this.
    pub fn matches(&self, wanted: &str) -> bool {
        let wanted = fold_for_search(wanted.trim());
        wanted.is_empty()
            || fold_for_search(&self.title).contains(&wanted)
            || self
                .variants
                .iter()
                .any(|v| fold_for_search(&v.body).contains(&wanted))
    }
}

/// `POST /api/console/canned` (create) and `/api/console/canned/{id}`
/// (update).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CannedDraft {
    pub title: String,
    /// For everyone rather than the member's own: admins only. On an
    /// update it moves the reply between the two.
    #[serde(default)]
    pub shared: bool,
    pub variants: Vec<CannedVariant>,
}

/// `GET /api/console/canned/{id}/filled/{reference}`: the variant for the
/// ticket's language with its placeholders filled, ready to edit and send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedFilled {
    pub lang: Lang,
    pub body: String,
}

/// A draft that passed `CannedDraft::check`: title and bodies trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCanned {
    pub title: String,
    pub variants: Vec<CannedVariant>,
}

/// A title: 1–80 characters after trimming.
pub fn check_title(input: &str) -> Result<String, Problem> {
    let title = input.trim();
    match title.chars().count() {
        0 => Err(Problem::Required),
        n if n > CANNED_TITLE_MAX => Err(Problem::TooLong {
            max: CANNED_TITLE_MAX,
        }),
        _ => Ok(title.to_owned()),
    }
}

impl CannedDraft {
    /// Every problem, one per field: the title, the bodies (at least one,
    /// each as long as a reply may be) and the languages (one body each).
    pub fn check(&self) -> Result<ValidCanned, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut push = |field, problem| {
            if !errors.iter().any(|e: &FieldError| e.field == field) {
                errors.push(FieldError { field, problem });
            }
        };
        let title = check_title(&self.title)
            .inspect_err(|problem| push(Field::Title, *problem))
            .unwrap_or_default();
        if self.variants.is_empty() {
            push(Field::Body, Problem::Required);
        }
        let mut variants = Vec::with_capacity(self.variants.len());
        for (i, variant) in self.variants.iter().enumerate() {
            if self.variants[..i].iter().any(|v| v.lang == variant.lang) {
                push(Field::Lang, Problem::Invalid);
            }
            match ReplyBody::parse(&variant.body) {
                Ok(body) => variants.push(CannedVariant {
                    lang: variant.lang,
                    body: body.as_str().to_owned(),
                }),
                Err(problem) => push(Field::Body, problem),
            }
        }
        if errors.is_empty() {
            Ok(ValidCanned { title, variants })
        } else {
            Err(errors)
        }
    }
}

/// The variant a ticket in `lang` gets: its own language, else English,
/// else the first there is.
pub fn variant_for(variants: &[CannedVariant], lang: Lang) -> Option<&CannedVariant> {
    variants
        .iter()
        .find(|v| v.lang == lang)
        .or_else(|| variants.iter().find(|v| v.lang == Lang::En))
        .or_else(|| variants.first())
}

/// What the placeholders stand for on one ticket.
#[derive(Clone, Copy, Debug)]
pub struct Placeholders<'a> {
    pub reference: &'a str,
    pub customer_email: &'a str,
    pub agent_name: &'a str,
}

/// The body with `{reference}` (in the variant language's digits),
/// `{customer_email}` and `{agent_name}` filled in one pass: a value that
/// itself contains braces is not filled again, and an unknown `{x}` stays.
pub fn fill(body: &str, lang: Lang, values: Placeholders<'_>) -> String {
    let reference = lang.digits(values.reference);
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let value = PLACEHOLDERS.iter().find(|p| tail.starts_with(*p)).map(|p| {
            let value = match *p {
                "{reference}" => reference.as_str(),
                "{customer_email}" => values.customer_email,
                _ => values.agent_name,
            };
            (p.len(), value)
        });
        match value {
            Some((len, value)) => {
                out.push_str(value);
                rest = &tail[len..];
            }
            None => {
                out.push('{');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The variant for a ticket in `lang`, filled: what the picker inserts.
pub fn render(
    variants: &[CannedVariant],
    lang: Lang,
    values: Placeholders<'_>,
) -> Option<CannedFilled> {
    variant_for(variants, lang).map(|v| CannedFilled {
        lang: v.lang,
        body: fill(&v.body, v.lang, values),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(lang: Lang, body: &str) -> CannedVariant {
        CannedVariant {
            lang,
            body: body.to_owned(),
        }
    }

    const VALUES: Placeholders<'static> = Placeholders {
        reference: "12345-67890",
        customer_email: "maryam@example.com",
        agent_name: "Tina {reference}",
    };

    #[test]
    fn a_reply_matches_folded_words_of_its_title_or_any_body() {
        let reply = CannedReply {
            id: 1,
            title: "Card refund".to_owned(),
            shared: true,
            editable: false,
            variants: vec![variant(Lang::Fa, "بازپرداخت کارت ۱۲۳")],
            updated_at: 0,
        };
        for wanted in ["", " ", "REFUND", "كارت", "123", "بازپرداخت"] {
            assert!(reply.matches(wanted), "{wanted:?}");
        }
        assert!(!reply.matches("passport"));
    }

    #[test]
    fn placeholders_fill_once_and_unknown_ones_stay() {
        assert_eq!(
            fill(
                "Ticket {reference} for {customer_email}, {agent_name}; {x} {refer",
                Lang::En,
                VALUES
            ),
            "Ticket 12345-67890 for maryam@example.com, Tina {reference}; {x} {refer"
        );
        assert_eq!(
            fill("شماره {reference}", Lang::Fa, VALUES),
            "شماره ۱۲۳۴۵-۶۷۸۹۰"
        );
    }

    #[test]
    fn the_ticket_language_then_english_then_any() {
        let all = [variant(Lang::Ru, "ru"), variant(Lang::En, "en")];
        assert_eq!(variant_for(&all, Lang::Ru).map(|v| v.lang), Some(Lang::Ru));
        assert_eq!(variant_for(&all, Lang::Fa).map(|v| v.lang), Some(Lang::En));
        let russian = [variant(Lang::Ru, "ru")];
        assert_eq!(
            variant_for(&russian, Lang::Fa).map(|v| v.lang),
            Some(Lang::Ru)
        );
        assert_eq!(variant_for(&[], Lang::Fa), None);
    }

    #[test]
    fn a_draft_is_checked_field_by_field() {
        let draft = CannedDraft {
            title: "x".repeat(81),
            shared: false,
            variants: vec![variant(Lang::En, "  "), variant(Lang::En, "hello")],
        };
        let errors = draft.check().expect_err("refused");
        assert_eq!(
            errors,
            vec![
                FieldError {
                    field: Field::Title,
                    problem: Problem::TooLong { max: 80 }
                },
                FieldError {
                    field: Field::Body,
                    problem: Problem::Required
                },
                FieldError {
                    field: Field::Lang,
                    problem: Problem::Invalid
                },
            ]
        );
        let empty = CannedDraft::default().check().expect_err("refused");
        assert_eq!(empty.len(), 2, "{empty:?}");
        let good = CannedDraft {
            title: "  Thanks  ".into(),
            shared: true,
            variants: vec![variant(Lang::Fa, " سلام ")],
        };
        assert_eq!(
            good.check(),
            Ok(ValidCanned {
                title: "Thanks".into(),
                variants: vec![variant(Lang::Fa, "سلام")]
            })
        );
    }
}

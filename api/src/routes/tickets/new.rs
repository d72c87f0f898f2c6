//! A new ticket's fields, each parsed by the rule the browser runs too;
//! every problem is reported at once, per field.

use shared::{
    api::{Channel, NewTicket},
    forms::{FormField, Localized},
    validate::{Description, Field, FieldError, Problem, Subject},
};

use crate::{
    AppState,
    db::{forms, tickets},
    error::{Error, Result},
    mail::address::Recipient,
};

/// A new ticket whose every field parsed.
pub(super) struct ValidTicket {
    pub(super) email: Recipient,
    pub(super) department: String,
    pub(super) subject: Subject,
    pub(super) description: Description,
    /// The department's fields with their answers as kept.
    pub(super) answers: Vec<(FormField<Localized>, String)>,
}

/// The new ticket checked, its answers against the department's form as it
/// is now. `account` is the address of the signed-in customer, if any: a
/// ticket in the account channel goes to it (and needs it), whatever the
/// form said.
pub(super) async fn validate(
    state: &AppState,
    new: &NewTicket,
    account: Option<&str>,
) -> Result<ValidTicket> {
    let slug = new.department.trim().to_owned();
    let form = state
        .db
        .read(move |conn| match tickets::department_id(conn, &slug)? {
            Some(id) => forms::fields(conn, id),
            None => Ok(Vec::new()),
        })
        .await?;
    check(new, account, form)
}

fn check(
    new: &NewTicket,
    account: Option<&str>,
    form: Vec<FormField<Localized>>,
) -> Result<ValidTicket> {
    let address = match (new.channel, account) {
        (Channel::Email, _) => new.email.as_str(),
        (Channel::Account, Some(address)) => address,
        (Channel::Account, None) => return Err(Error::SignedOut),
    };
    let mut errors = Vec::new();
    let mut check = |field, result: Result<(), Problem>| {
        if let Err(problem) = result {
            errors.push(FieldError { field, problem });
        }
    };
    let email = Recipient::parse(address);
    check(Field::Email, email.as_ref().map(|_| ()).map_err(|p| *p));
    check(
        Field::Department,
        if new.department.trim().is_empty() {
            Err(Problem::Required)
        } else {
            Ok(())
        },
    );
    let subject = Subject::parse(&new.subject);
    check(Field::Subject, subject.as_ref().map(|_| ()).map_err(|p| *p));
    let description = Description::parse(&new.description);
    check(
        Field::Description,
        description.as_ref().map(|_| ()).map_err(|p| *p),
    );
    let answers = answers(new, form, &mut errors);
    match (email, subject, description) {
        (Ok(email), Ok(subject), Ok(description)) if errors.is_empty() => Ok(ValidTicket {
            email,
            department: new.department.trim().to_owned(),
            subject,
            description,
            answers,
        }),
        _ => Err(Error::Validation(errors)),
    }
}

/// Each field's answer checked by its rule (a field not answered is an
/// empty answer); an answer to a field the form does not have is refused,
/// so a form edited while the customer typed asks them to look again.
fn answers(
    new: &NewTicket,
    form: Vec<FormField<Localized>>,
    errors: &mut Vec<FieldError>,
) -> Vec<(FormField<Localized>, String)> {
    for sent in &new.fields {
        if !form.iter().any(|field| field.id == sent.id) {
            errors.push(FieldError {
                field: Field::Form(sent.id),
                problem: Problem::Unknown,
            });
        }
    }
    form.into_iter()
        .filter_map(|field| {
            let sent = new.fields.iter().find(|sent| sent.id == field.id);
            match field.check(sent.map_or("", |sent| sent.value.as_str())) {
                Ok(value) => Some((field, value)),
                Err(problem) => {
                    errors.push(FieldError {
                        field: Field::Form(field.id),
                        problem,
                    });
                    None
                }
            }
        })
        .collect()
}

//! A new ticket's fields, each parsed by the rule the browser runs too;
//! every problem is reported at once, per field.

use shared::{
    api::{Channel, NewTicket},
    validate::{Description, Field, FieldError, Problem, Subject},
};

use crate::{
    error::{Error, Result},
    mail::address::Recipient,
};

/// A new ticket whose every field parsed.
pub(super) struct ValidTicket {
    pub(super) email: Recipient,
    pub(super) department: String,
    pub(super) subject: Subject,
    pub(super) description: Description,
}

pub(super) fn validate(new: &NewTicket) -> Result<ValidTicket> {
    let mut errors = Vec::new();
    let mut check = |field, result: Result<(), Problem>| {
        if let Err(problem) = result {
            errors.push(FieldError { field, problem });
        }
    };
    check(
        Field::Channel,
        match new.channel {
            Channel::Email => Ok(()),
            // Signing in comes with accounts; until then the option is shown
            // disabled in the form and refused here.
            Channel::Account => Err(Problem::Unavailable),
        },
    );
    let email = Recipient::parse(&new.email);
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
    match (email, subject, description) {
        (Ok(email), Ok(subject), Ok(description)) if errors.is_empty() => Ok(ValidTicket {
            email,
            department: new.department.trim().to_owned(),
            subject,
            description,
        }),
        _ => Err(Error::Validation(errors)),
    }
}

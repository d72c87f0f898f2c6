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

/// `account` is the address of the signed-in customer, if any: a ticket
/// in the account channel goes to it (and needs it), whatever the form said.
pub(super) fn validate(new: &NewTicket, account: Option<&str>) -> Result<ValidTicket> {
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

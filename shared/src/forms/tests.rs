//! The department form rules: each kind, each pattern, and the admin's
//! definitions.

use super::*;

fn field(kind: Kind, required: bool, pattern: Option<Pattern>) -> FormField<String> {
    FormField {
        id: 1,
        kind,
        required,
        pattern,
        label: "Label".into(),
        hint: String::new(),
        options: Vec::new(),
    }
}

fn words(en: &str) -> Localized {
    Localized(vec![(Lang::En, en.to_owned())])
}

#[test]
fn digits_fold_persian_and_arabic_and_drop_separators() {
    let digits = field(Kind::Text, true, Some(Pattern::Digits));
    assert_eq!(digits.check(" ۱۲۳۴ ٥٦-78 "), Ok("12345678".to_owned()));
    assert_eq!(
        digits.check("12ab"),
        Err(Problem::Pattern {
            pattern: Pattern::Digits
        })
    );
    assert_eq!(digits.check("   "), Err(Problem::Required));
    assert_eq!(
        digits.check(&"1".repeat(FORM_VALUE_MAX + 1)),
        Err(Problem::TooLong {
            max: FORM_VALUE_MAX
        })
    );
}

#[test]
fn optional_fields_may_stay_empty() {
    let text = field(Kind::Text, false, Some(Pattern::Email));
    assert_eq!(text.check(""), Ok(String::new()));
    assert_eq!(text.check("Someone@Example.com").map(|v| v.len()), Ok(19));
    assert_eq!(
        text.check("not an address"),
        Err(Problem::Pattern {
            pattern: Pattern::Email
        })
    );
}

#[test]
fn letters_digits_and_phone_patterns() {
    let code = field(Kind::Text, true, Some(Pattern::LettersDigits));
    assert_eq!(code.check("AB12کد"), Ok("AB12کد".to_owned()));
    assert!(code.check("AB 12").is_err());
    let phone = field(Kind::Text, true, Some(Pattern::Phone));
    assert_eq!(
        phone.check("+98 (912) ۱۲۳-۴۵۶۷"),
        Ok("+989121234567".to_owned())
    );
    assert!(phone.check("12").is_err(), "too few digits");
    assert!(phone.check("+98 912 abc").is_err());
}

#[test]
fn numbers_and_dates() {
    let number = field(Kind::Number, true, None);
    assert_eq!(number.check("-۱۲٫۵"), Ok("-12.5".to_owned()));
    assert_eq!(number.check("1.5.2"), Err(Problem::NotANumber));
    assert_eq!(number.check("12."), Err(Problem::NotANumber));
    let date = field(Kind::Date, true, None);
    assert_eq!(date.check("2024-02-29"), Ok("2024-02-29".to_owned()));
    assert_eq!(date.check("۲۰۲۳-۰۲-۲۸"), Ok("2023-02-28".to_owned()));
    for wrong in [
        "2023-02-29",
        "2023-13-01",
        "23-01-01",
        "2023/01/01",
        "tomorrow",
    ] {
        assert_eq!(date.check(wrong), Err(Problem::NotADate), "{wrong}");
    }
}

#[test]
fn a_select_takes_only_its_keys() {
    let mut select = field(Kind::Select, true, None);
    select.options = vec![Choice {
        key: "passport".into(),
        label: "Passport".into(),
    }];
    assert_eq!(select.check("passport"), Ok("passport".to_owned()));
    assert_eq!(select.check("Passport"), Err(Problem::NotAnOption));
}

#[test]
fn localized_texts_fall_back_to_english() {
    let label = Localized(vec![
        (Lang::En, "Document type".into()),
        (Lang::Fa, "نوع مدرک".into()),
        (Lang::Ru, "  ".into()),
    ]);
    assert_eq!(label.get(Lang::Fa), "نوع مدرک");
    assert_eq!(label.get(Lang::Ru), "Document type");
}

#[test]
fn definitions_need_english_labels_and_sound_options() {
    let good = FormField {
        id: 0,
        kind: Kind::Select,
        required: true,
        pattern: None,
        label: words("Document type"),
        hint: Localized::default(),
        options: vec![Choice {
            key: "passport".into(),
            label: words("Passport"),
        }],
    };
    assert_eq!(check_definitions(std::slice::from_ref(&good)), Ok(()));
    let refused = |edit: fn(&mut FormField<Localized>)| {
        let mut field = good.clone();
        edit(&mut field);
        check_definitions(&[good.clone(), field]).map_err(|e| (e.field, e.problem))
    };
    assert_eq!(
        refused(|f| f.label = Localized::default()),
        Err((Field::Form(1), Problem::Required))
    );
    assert_eq!(
        refused(|f| f.options.clear()),
        Err((Field::Form(1), Problem::Required))
    );
    assert_eq!(
        refused(|f| f.options.push(f.options[0].clone())),
        Err((Field::Form(1), Problem::Invalid)),
        "keys are unique"
    );
    assert_eq!(
        refused(|f| f.pattern = Some(Pattern::Digits)),
        Err((Field::Form(1), Problem::Invalid)),
        "patterns are for text"
    );
    assert_eq!(
        refused(|f| f.hint = words(&"x".repeat(FORM_HINT_MAX + 1))),
        Err((Field::Form(1), Problem::TooLong { max: FORM_HINT_MAX }))
    );
    let many = vec![good.clone(); FORM_FIELDS_MAX + 1];
    assert!(check_definitions(&many).is_err());
}

#[test]
fn form_field_errors_serialise_with_the_field_id() {
    let error = FieldError {
        field: Field::Form(7),
        problem: Problem::Pattern {
            pattern: Pattern::Digits,
        },
    };
    let json = serde_json::to_string(&error).expect("serialise");
    assert_eq!(
        json,
        r#"{"field":{"form":7},"code":"pattern","pattern":"digits"}"#
    );
    let back: FieldError = serde_json::from_str(&json).expect("parse");
    assert_eq!(back, error);
}

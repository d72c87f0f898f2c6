//! Department forms through the API: the seeded fields reach the wizard in
//! its language; the server checks every answer against the department's
//! form as it is now (a bad pattern, a missing required answer, a choice
//! not offered, an unknown field, an answer too long) with an error per
//! field that the wizard words in English, Persian and Russian; only admins
//! change a form; answers show to staff and the customer, are found by the
//! console's search, and outlive edits to their field.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use shared::{
    forms::Pattern,
    i18n::{Key, Lang},
    limits::FORM_VALUE_MAX,
};

use crate::console_kit::Desk;
use crate::console_search::found;
use crate::harness::{TestApp, expect_status, ticket_body};

/// The department's fields as the wizard gets them in `lang`.
pub async fn wizard_fields(app: &TestApp, slug: &str, lang: &str) -> Vec<Value> {
    let list: Value = expect_status(
        app.get(&TestApp::new_client(), &format!("/departments?lang={lang}"))
            .await,
        StatusCode::OK,
    )
    .await;
    list.as_array()
        .expect("departments")
        .iter()
        .find(|d| d["slug"] == slug)
        .expect("the department")["fields"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// A new ticket in `slug` answering its form with `fields`.
fn body(email: &str, slug: &str, fields: Value) -> Value {
    let mut body = ticket_body(email, &[]);
    body["department"] = json!(slug);
    body["fields"] = fields;
    body
}

/// The field errors of a refused ticket.
async fn refused(app: &TestApp, body: &Value) -> Vec<Value> {
    let error: Value = expect_status(
        app.post(&TestApp::new_client(), "/tickets", body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    error["fields"].as_array().expect("field errors").clone()
}

/// Opens and confirms a ticket; returns the customer's client and the reference.
async fn confirmed(desk: &Desk, body: &Value) -> (Client, String) {
    let customer = TestApp::new_client();
    let created: Value = expect_status(
        desk.app.post(&customer, "/tickets", body).await,
        StatusCode::CREATED,
    )
    .await;
    let email = body["email"].as_str().expect("email");
    let token = desk.smtp.wait_for(email, 1).await[0].link_token();
    assert_eq!(
        desk.app.redeem(&customer, &token).await.status(),
        StatusCode::OK
    );
    let reference = created["reference"].as_str().expect("reference").to_owned();
    (customer, reference)
}

async fn answers(app: &TestApp, who: &Client, path: &str) -> Value {
    expect_status::<Value>(app.get(who, path).await, StatusCode::OK).await["answers"].clone()
}

#[tokio::test]
async fn the_server_checks_every_answer_and_the_wizard_can_word_each_refusal() {
    let desk = Desk::start().await;
    let app = &desk.app;
    let financial = wizard_fields(app, "financial", "fa").await;
    assert_eq!(financial.len(), 1);
    assert_eq!(financial[0]["label"], "شماره تراکنش");
    assert_eq!(financial[0]["required"], true);
    assert_eq!(financial[0]["pattern"], "digits");
    let transaction = financial[0]["id"].as_i64().expect("id");
    let passport = wizard_fields(app, "passport", "ru").await;
    assert_eq!(passport[0]["options"][1]["label"], "Удостоверение личности");
    let document = passport[0]["id"].as_i64().expect("id");
    let other_party = wizard_fields(app, "arbitration", "en").await[0]["id"]
        .as_i64()
        .expect("id");
    assert!(wizard_fields(app, "technical", "en").await.is_empty());

    let form = |id: i64| json!({ "form": id });
    let cases = [
        (
            body(
                "a@example.com",
                "financial",
                json!([{ "id": transaction, "value": "12AB" }]),
            ),
            json!({ "field": form(transaction), "code": "pattern", "pattern": "digits" }),
        ),
        (
            body("b@example.com", "financial", json!([])),
            json!({ "field": form(transaction), "code": "required" }),
        ),
        (
            body(
                "c@example.com",
                "passport",
                json!([{ "id": document, "value": "visa" }]),
            ),
            json!({ "field": form(document), "code": "not_an_option" }),
        ),
        (
            body(
                "d@example.com",
                "arbitration",
                json!([{ "id": 999, "value": "x" }]),
            ),
            json!({ "field": form(999), "code": "unknown" }),
        ),
        (
            body(
                "e@example.com",
                "arbitration",
                json!([{ "id": other_party, "value": "x".repeat(FORM_VALUE_MAX + 1) }]),
            ),
            json!({ "field": form(other_party), "code": "too_long", "max": FORM_VALUE_MAX }),
        ),
    ];
    for (body, expected) in &cases {
        assert_eq!(refused(app, body).await, vec![expected.clone()], "{body}");
    }
    // Refused together with the ticket's own fields, in one answer.
    let mut both = cases[0].0.clone();
    both["subject"] = json!("");
    assert_eq!(refused(app, &both).await.len(), 2);
    assert_eq!(app.count("SELECT count(*) FROM tickets"), 0);

    // The sentences the wizard shows for these refusals, in each language.
    for key in [
        Pattern::Digits.error_key(),
        Key::ErrRequired,
        Key::ErrNotAnOption,
        Key::ErrFieldGone,
    ] {
        let [en, fa, ru] = [Lang::En, Lang::Fa, Lang::Ru].map(|lang| key.text(lang));
        assert!(en.is_ascii() && !en.is_empty(), "{key:?}");
        assert!(
            fa.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "{key:?}: {fa}"
        );
        assert!(
            ru.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)),
            "{key:?}: {ru}"
        );
    }
    assert_eq!(Key::ErrPatternDigits.text(Lang::Fa), "فقط رقم وارد کنید.");
    assert_eq!(
        Key::ErrPatternDigits.text(Lang::Ru),
        "Используйте только цифры."
    );
}

#[tokio::test]
async fn admins_edit_forms_and_tickets_keep_the_answers_they_were_opened_with() {
    let desk = Desk::start().await;
    let (app, admin) = (&desk.app, &desk.admin);
    let (_, fred) = desk.agent("fred@desk.test", "Fred", &["financial"]).await;
    let path = "/console/departments/financial/fields";

    // An agent can neither read nor change a form.
    assert_eq!(app.get(&fred, path).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.post(&fred, path, &json!([])).await.status(),
        StatusCode::FORBIDDEN
    );
    let mut form: Value = expect_status(app.get(admin, path).await, StatusCode::OK).await;
    let transaction = form[0]["id"].as_i64().expect("id");
    assert_eq!(form[0]["label"][1], json!(["fa", "شماره تراکنش"]));

    // A ticket answered with Persian digits keeps them as ASCII.
    let answer = json!([{ "id": transaction, "value": "۹۸۷۶ ۵۴۳۲۱" }]);
    let (customer, reference) =
        confirmed(&desk, &body("payer@example.com", "financial", answer)).await;
    let staff_view = format!("/console/tickets/{reference}?lang=en");
    let expected = json!([{ "label": "Transaction number", "value": "987654321" }]);
    assert_eq!(answers(app, &fred, &staff_view).await, expected);
    assert_eq!(
        answers(app, &customer, &format!("/tickets/{reference}?lang=fa")).await,
        json!([{ "label": "شماره تراکنش", "value": "987654321" }])
    );
    assert_eq!(
        found(app, &fred, "987654321").await,
        vec![reference.clone()]
    );
    assert_eq!(
        found(app, &fred, "۹۸۷۶۵۴۳۲۱").await,
        vec![reference.clone()]
    );

    // The admin renames the field, loosens its pattern and adds another.
    form[0]["label"] = json!([["en", "Receipt number"]]);
    form[0]["pattern"] = json!("letters_digits");
    form.as_array_mut().expect("list").push(json!({
        "kind": "date", "required": false,
        "label": [["en", "Payment date"], ["fa", "تاریخ پرداخت"], ["ru", "Дата платежа"]],
        "hint": [],
    }));
    let saved: Value = expect_status(app.post(admin, path, &form).await, StatusCode::OK).await;
    assert_eq!(saved[0]["id"], transaction, "an edit keeps the field's id");
    assert_eq!(saved[1]["kind"], "date");
    let wizard = wizard_fields(app, "financial", "ru").await;
    assert_eq!(
        wizard[0]["label"], "Receipt number",
        "English stands in for a missing text"
    );
    assert_eq!(wizard[1]["label"], "Дата платежа");

    // A new ticket is checked against the form as it is now.
    let new_date = saved[1]["id"].as_i64().expect("id");
    let late =
        json!([{ "id": transaction, "value": "AB12" }, { "id": new_date, "value": "2026-02-30" }]);
    assert_eq!(
        refused(app, &body("late@example.com", "financial", late)).await,
        vec![json!({ "field": { "form": new_date }, "code": "not_a_date" })]
    );

    // Removing every field: the old ticket still reads as it was opened.
    let cleared: Value =
        expect_status(app.post(admin, path, &json!([])).await, StatusCode::OK).await;
    assert_eq!(cleared, json!([]));
    assert!(wizard_fields(app, "financial", "en").await.is_empty());
    assert_eq!(answers(app, &fred, &staff_view).await, expected);
    assert_eq!(found(app, &fred, "987654321").await, vec![reference]);
    assert_eq!(pasokh::db::search::drift(&app.db()).expect("compare"), 0);

    // A form the rules refuse is not saved: a choice field with no choices.
    let bad = json!([{ "kind": "select", "label": [["en", "Card"]], "hint": [] }]);
    let error: Value = expect_status(
        app.post(admin, path, &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        error["fields"],
        json!([{ "field": { "form": 0 }, "code": "required" }])
    );
    let unknown = "/console/departments/nowhere/fields";
    assert_eq!(
        app.get(admin, unknown).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_choice_shows_in_the_readers_language_and_is_found_in_any() {
    let desk = Desk::start().await;
    let app = &desk.app;
    let document = wizard_fields(app, "passport", "en").await[0]["id"]
        .as_i64()
        .expect("id");
    let answer = json!([{ "id": document, "value": "national_id" }]);
    let (customer, reference) =
        confirmed(&desk, &body("iris@example.com", "passport", answer)).await;
    assert_eq!(
        answers(app, &customer, &format!("/tickets/{reference}?lang=ru")).await,
        json!([{ "label": "Тип документа", "value": "Удостоверение личности" }])
    );
    let staff = format!("/console/tickets/{reference}?lang=fa");
    assert_eq!(
        answers(app, &desk.admin, &staff).await,
        json!([{ "label": "نوع مدرک", "value": "کارت ملی" }])
    );
    assert_eq!(
        found(app, &desk.admin, "کارت ملی").await,
        vec![reference.clone()]
    );
    assert_eq!(
        found(app, &desk.admin, "удостоверение").await,
        vec![reference]
    );
}

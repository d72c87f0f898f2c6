//! Department forms: the fields of each department (a JSON definition per
//! row) and the answers each ticket keeps, labels included, so that an
//! answer reads the same after its field is edited or removed.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use shared::{
    forms::{Answer, FormField, Kind, Localized},
    i18n::Lang,
};

use crate::error::{Error, Result};

type Definition = FormField<Localized>;

fn parse<T: serde::de::DeserializeOwned>(json: &str) -> rusqlite::Result<T> {
    serde_json::from_str(json).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::caused("writing a form field", e))
}

/// A department's fields in order.
pub fn fields(conn: &Connection, department_id: i64) -> Result<Vec<Definition>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, definition FROM department_fields
         WHERE department_id = ?1 ORDER BY position, id",
    )?;
    let rows = statement.query_map([department_id], |row| {
        let mut field: Definition = parse(&row.get::<_, String>(1)?)?;
        field.id = row.get(0)?;
        Ok(field)
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every department's fields in `lang`, by department slug: what the
/// wizard's department list carries.
pub fn all_in_lang(
    conn: &Connection,
    lang: Lang,
) -> Result<HashMap<String, Vec<FormField<String>>>> {
    let mut statement = conn.prepare_cached(
        "SELECT d.slug, f.id, f.definition FROM department_fields f
         JOIN departments d ON d.id = f.department_id ORDER BY f.position, f.id",
    )?;
    let rows = statement.query_map([], |row| {
        let mut field: Definition = parse(&row.get::<_, String>(2)?)?;
        field.id = row.get(1)?;
        Ok((row.get::<_, String>(0)?, field.in_lang(lang)))
    })?;
    let mut by_slug: HashMap<String, Vec<FormField<String>>> = HashMap::new();
    for row in rows {
        let (slug, field) = row?;
        by_slug.entry(slug).or_default().push(field);
    }
    Ok(by_slug)
}

/// Replaces a department's form with `list`, in that order: a field with the
/// id of one of the department's fields updates it, any other is added, and
/// the department's fields not in the list are removed. Returns the form as
/// stored.
pub fn save(conn: &Connection, department_id: i64, list: &[Definition]) -> Result<Vec<Definition>> {
    let existing: Vec<i64> = fields(conn, department_id)?.iter().map(|f| f.id).collect();
    let mut kept = Vec::new();
    for (field, position) in list.iter().zip(1i64..) {
        let definition = json(&Definition {
            id: 0,
            ..field.clone()
        })?;
        if existing.contains(&field.id) {
            conn.prepare_cached(
                "UPDATE department_fields SET position = ?2, definition = ?3 WHERE id = ?1",
            )?
            .execute(params![field.id, position, definition])?;
            kept.push(field.id);
        } else {
            conn.prepare_cached(
                "INSERT INTO department_fields (department_id, position, definition)
                 VALUES (?1, ?2, ?3)",
            )?
            .execute(params![department_id, position, definition])?;
            kept.push(conn.last_insert_rowid());
        }
    }
    for id in existing.into_iter().filter(|id| !kept.contains(id)) {
        conn.prepare_cached("DELETE FROM department_fields WHERE id = ?1")?
            .execute([id])?;
    }
    fields(conn, department_id)
}

/// Keeps a new ticket's answers (`value` as checked), each with its
/// field's words as they are now, and indexes them for search. Empty
/// answers are not kept.
pub fn save_answers(
    conn: &Connection,
    ticket_id: i64,
    answers: &[(Definition, String)],
) -> Result<()> {
    let answered: Vec<_> = answers
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .collect();
    if answered.is_empty() {
        return Ok(());
    }
    for ((field, value), position) in answered.into_iter().zip(1i64..) {
        let shown = match field.kind {
            Kind::Select => field.choice(value).map(|c| json(&c.label)).transpose()?,
            _ => None,
        };
        conn.prepare_cached(
            "INSERT INTO ticket_fields (ticket_id, position, field_id, label, value, shown)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            ticket_id,
            position,
            field.id,
            json(&field.label)?,
            value,
            shown
        ])?;
    }
    super::search::index_ticket(conn, ticket_id)
}

/// A ticket's answers as kept: label, value, and a choice's label.
fn kept(conn: &Connection, ticket_id: i64) -> Result<Vec<(Localized, String, Option<Localized>)>> {
    let mut statement = conn.prepare_cached(
        "SELECT label, value, shown FROM ticket_fields WHERE ticket_id = ?1 ORDER BY position",
    )?;
    let rows = statement.query_map([ticket_id], |row| {
        let shown: Option<String> = row.get(2)?;
        Ok((
            parse(&row.get::<_, String>(0)?)?,
            row.get(1)?,
            shown.as_deref().map(parse).transpose()?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A ticket's answers worded in `lang`.
pub fn answers(conn: &Connection, ticket_id: i64, lang: Lang) -> Result<Vec<Answer>> {
    Ok(kept(conn, ticket_id)?
        .into_iter()
        .map(|(label, value, shown)| Answer {
            label: label.get(lang).to_owned(),
            value: shown.map_or(value, |shown| shown.get(lang).to_owned()),
        })
        .collect())
}

/// What search indexes of a ticket's answers: each value and, for a
/// choice, its label in every language (so "паспорт" finds a ticket
/// answered in English).
pub fn search_text(conn: &Connection, ticket_id: i64) -> Result<String> {
    let mut text = String::new();
    for (_, value, shown) in kept(conn, ticket_id)? {
        text.push_str(&value);
        text.push('\n');
        for (_, words) in shown.map(|s| s.0).unwrap_or_default() {
            text.push_str(&words);
            text.push('\n');
        }
    }
    Ok(text)
}

/// The id of a department, offered to customers or not (admins edit both).
pub fn department_id(conn: &Connection, slug: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM departments WHERE slug = ?1")?
        .query_row([slug], |row| row.get(0))
        .optional()?)
}

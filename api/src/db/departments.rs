//! Departments as an admin edits them: every language's texts, order and
//! whether customers can choose them.

use rusqlite::{Connection, params};
use shared::{
    console::{DepartmentAdmin, DepartmentText},
    i18n::Lang,
};

use crate::error::Result;

pub fn list(conn: &Connection) -> Result<Vec<DepartmentAdmin>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, slug, position, active FROM departments ORDER BY position, id",
    )?;
    let rows = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                DepartmentAdmin {
                    slug: row.get(1)?,
                    position: row.get(2)?,
                    active: row.get(3)?,
                    texts: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, mut department)| {
            department.texts = texts(conn, id)?;
            Ok(department)
        })
        .collect()
}

fn texts(conn: &Connection, department_id: i64) -> Result<Vec<DepartmentText>> {
    let mut statement = conn.prepare_cached(
        "SELECT lang, name, explanation FROM department_texts WHERE department_id = ?1 ORDER BY lang",
    )?;
    let texts = statement
        .query_map([department_id], |row| {
            let lang: String = row.get(0)?;
            Ok((lang, row.get(1)?, row.get(2)?))
        })?
        .collect::<rusqlite::Result<Vec<(String, String, String)>>>()?
        .into_iter()
        .filter_map(|(lang, name, explanation)| {
            Lang::from_code(&lang).map(|lang| DepartmentText {
                lang,
                name,
                explanation,
            })
        })
        .collect();
    Ok(texts)
}

/// Creates or updates a department with its texts; returns it as stored.
pub fn save(conn: &Connection, department: &DepartmentAdmin) -> Result<DepartmentAdmin> {
    conn.prepare_cached(
        "INSERT INTO departments (slug, position, active) VALUES (?1, ?2, ?3)
         ON CONFLICT (slug) DO UPDATE SET position = excluded.position, active = excluded.active",
    )?
    .execute(params![
        department.slug,
        department.position,
        department.active
    ])?;
    let id: i64 = conn
        .prepare_cached("SELECT id FROM departments WHERE slug = ?1")?
        .query_row([&department.slug], |row| row.get(0))?;
    for text in &department.texts {
        conn.prepare_cached(
            "INSERT INTO department_texts (department_id, lang, name, explanation) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (department_id, lang) DO UPDATE SET name = excluded.name, explanation = excluded.explanation",
        )?
        .execute(params![id, text.lang.code(), text.name.trim(), text.explanation.trim()])?;
    }
    Ok(DepartmentAdmin {
        slug: department.slug.clone(),
        position: department.position,
        active: department.active,
        texts: texts(conn, id)?,
    })
}

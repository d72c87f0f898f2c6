//! Administration: inviting and managing staff, departments and their
//! texts, and desk-wide settings. Every handler takes `Admin`.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use shared::{
    console::{DepartmentAdmin, Invite, NAME_MAX, Role, Settings, StaffChange, StaffMember},
    i18n::Lang,
    validate::{Email, Field, FieldError, Problem},
};

use super::Admin;
use crate::{
    AppState,
    auth::session::Realm,
    db::{
        self,
        auth::{self, TokenPurpose},
        credentials, departments, staff,
    },
    error::{Error, Result},
    mail,
    routes::{ApiJson, meta::LangQuery},
};

/// Department names and explanations: as long as a customer reads in a line.
const DEPARTMENT_NAME_MAX: usize = 80;
const DEPARTMENT_EXPLANATION_MAX: usize = 200;

pub async fn staff_list(
    State(state): State<AppState>,
    _admin: Admin,
) -> Result<Json<Vec<StaffMember>>> {
    Ok(Json(state.db.read(staff::list).await?))
}

fn find(list: Vec<StaffMember>, id: i64) -> Result<StaffMember> {
    list.into_iter().find(|m| m.id == id).ok_or(Error::NotFound)
}

/// Invites a member by email: the invitation link (72 hours) sets their
/// password. The mail goes out in the console language of the admin.
pub async fn staff_invite(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Query(query): Query<LangQuery>,
    ApiJson(invite): ApiJson<Invite>,
) -> Result<(StatusCode, Json<StaffMember>)> {
    let mut errors = Vec::new();
    let email = Email::parse(&invite.email)
        .inspect_err(|problem| {
            errors.push(FieldError {
                field: Field::Email,
                problem: *problem,
            })
        })
        .ok();
    let name = invite.name.trim().to_owned();
    let name_problem = if name.is_empty() {
        Some(Problem::Required)
    } else if name.chars().count() > NAME_MAX {
        Some(Problem::TooLong { max: NAME_MAX })
    } else {
        None
    };
    if let Some(problem) = name_problem {
        errors.push(FieldError {
            field: Field::Name,
            problem,
        });
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(Error::Validation(errors));
    };
    let lang = query.lang();
    let public_url = state.config.public_url.clone();
    let inviter = admin.member.name.clone();
    let id = state
        .db
        .write(move |conn| {
            let now = db::now();
            let id = staff::insert(conn, email.as_str(), &name, invite.role, now)?
                .ok_or_else(|| Error::field(Field::Email, Problem::Taken))?;
            staff::set_departments(conn, id, &invite.departments)?;
            let token = auth::issue_token(conn, Realm::Staff, id, TokenPurpose::Invite, None, now)?;
            let link = format!("{public_url}/console/password#{token}");
            mail::notify::queue_invitation(
                conn,
                email.as_str(),
                &name,
                &inviter,
                &link,
                lang,
                now,
            )?;
            Ok(id)
        })
        .await?;
    state.mail_wake.notify_one();
    tracing::info!(admin = admin.member.id, member = id, "staff member invited");
    let member = find(state.db.read(staff::list).await?, id)?;
    Ok((StatusCode::CREATED, Json(member)))
}

/// Role, departments, active. Deactivating ends the member's sessions at
/// once; the last active admin can be neither demoted nor deactivated.
pub async fn staff_change(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<i64>,
    ApiJson(change): ApiJson<StaffChange>,
) -> Result<Json<StaffMember>> {
    state
        .db
        .write(move |conn| {
            let member = staff::by_id(conn, id)?.ok_or(Error::NotFound)?;
            let loses_admin = member.is_admin()
                && member.active
                && (change.role == Some(Role::Agent) || change.active == Some(false));
            if loses_admin && staff::active_admins(conn)? <= 1 {
                return Err(Error::field(Field::Name, Problem::Invalid));
            }
            staff::update(conn, id, change.role, change.active)?;
            if let Some(slugs) = &change.departments {
                staff::set_departments(conn, id, slugs)?;
            }
            Ok(())
        })
        .await?;
    tracing::info!(admin = admin.member.id, member = id, "staff member changed");
    Ok(Json(find(state.db.read(staff::list).await?, id)?))
}

pub async fn departments_list(
    State(state): State<AppState>,
    _admin: Admin,
) -> Result<Json<Vec<DepartmentAdmin>>> {
    Ok(Json(state.db.read(departments::list).await?))
}

/// Creates or updates a department. English texts are required: they are
/// what every other language falls back to.
pub async fn department_save(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(slug): Path<String>,
    ApiJson(mut department): ApiJson<DepartmentAdmin>,
) -> Result<Json<DepartmentAdmin>> {
    department.slug = slug;
    validate_department(&department)?;
    let saved = state
        .db
        .write(move |conn| departments::save(conn, &department))
        .await?;
    tracing::info!(
        admin = admin.member.id,
        department = saved.slug,
        "department saved"
    );
    Ok(Json(saved))
}

fn validate_department(department: &DepartmentAdmin) -> Result<()> {
    let slug_ok = !department.slug.is_empty()
        && department.slug.len() <= 32
        && department
            .slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !slug_ok {
        return Err(Error::field(Field::Department, Problem::Invalid));
    }
    let english = department
        .texts
        .iter()
        .find(|t| t.lang == Lang::En)
        .is_some_and(|t| !t.name.trim().is_empty());
    if !english {
        return Err(Error::field(Field::Name, Problem::Required));
    }
    for text in &department.texts {
        if text.name.chars().count() > DEPARTMENT_NAME_MAX {
            return Err(Error::field(
                Field::Name,
                Problem::TooLong {
                    max: DEPARTMENT_NAME_MAX,
                },
            ));
        }
        if text.explanation.chars().count() > DEPARTMENT_EXPLANATION_MAX {
            return Err(Error::field(
                Field::Description,
                Problem::TooLong {
                    max: DEPARTMENT_EXPLANATION_MAX,
                },
            ));
        }
    }
    Ok(())
}

pub async fn settings_show(State(state): State<AppState>, _admin: Admin) -> Result<Json<Settings>> {
    let require_totp = state.db.read(credentials::require_totp).await?;
    Ok(Json(Settings { require_totp }))
}

pub async fn settings_update(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiJson(settings): ApiJson<Settings>,
) -> Result<Json<Settings>> {
    let required = settings.require_totp;
    state
        .db
        .write(move |conn| credentials::set_require_totp(conn, required))
        .await?;
    tracing::info!(
        admin = admin.member.id,
        require_totp = required,
        "settings changed"
    );
    Ok(Json(settings))
}

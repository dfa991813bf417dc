//! Admin pages for the instance: settings and icon (`/admin/settings`) and the audit log (`/admin/audit`).

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{Frame, Notice, Staff, broken, done, page, short_time};
use crate::admin::{AdminError, InstanceSettings, MAX_ICON_BYTES, Registration};
use crate::app::AppState;
use crate::store::Snowflake;

/// Audit entries per page.
const AUDIT_PAGE: i64 = 100;

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    frame: Frame,
    s: InstanceSettings,
    upload_mb: usize,
    invites_open: bool,
    icon_url: Option<String>,
}

/// `GET /admin/settings`.
pub async fn settings(State(state): State<AppState>, staff: Staff, Query(notice): Query<Notice>) -> Response {
    let frame = Frame::new(&state, &staff, "settings", &notice);
    show(&state, &staff, frame).await
}

async fn show(state: &AppState, staff: &Staff, frame: Frame) -> Response {
    let (guild, _) = match state.admin.space(&staff.user).await {
        Ok(space) => space,
        Err(e) => return broken(&e),
    };
    let s = state.admin.settings();
    let failed = frame.error.is_some();
    let page_data = SettingsPage {
        frame,
        upload_mb: s.max_upload_bytes.div_ceil(1024 * 1024),
        invites_open: s.registration == Registration::Invites,
        icon_url: guild.icon.map(|hash| format!("/icons/{}/{hash}.png", guild.id)),
        s,
    };
    page(&page_data, failed)
}

async fn failed(state: &AppState, staff: &Staff, error: &AdminError) -> Response {
    let frame = Frame::new(state, staff, "settings", &Notice::default()).failed(error);
    show(state, staff, frame).await
}

/// The settings form.
#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    instance_name: String,
    upload_mb: usize,
    route_limit: u32,
    global_per_second: u32,
    registration: Registration,
}

/// `POST /admin/settings`.
pub async fn save(State(state): State<AppState>, staff: Staff, Form(form): Form<SettingsForm>) -> Response {
    let new = InstanceSettings {
        instance_name: form.instance_name,
        max_upload_bytes: form.upload_mb.saturating_mul(1024 * 1024),
        route_limit: form.route_limit,
        global_per_second: form.global_per_second,
        registration: form.registration,
    };
    match state.admin.save_settings(&staff.user, new).await {
        Ok(()) => done("/admin/settings", "settings-saved"),
        Err(e) => failed(&state, &staff, &e).await,
    }
}

/// `POST /admin/settings/reset`: back to `spot.toml`'s values.
pub async fn reset(State(state): State<AppState>, staff: Staff) -> Response {
    let from_file = InstanceSettings::resolve(&state.config, &Default::default());
    match state.admin.reset_settings(&staff.user, from_file).await {
        Ok(()) => done("/admin/settings", "settings-reset"),
        Err(e) => failed(&state, &staff, &e).await,
    }
}

/// `POST /admin/settings/icon` (multipart: `icon` file, `action` = upload or remove).
pub async fn icon(State(state): State<AppState>, staff: Staff, mut multipart: Multipart) -> Response {
    let mut action = String::from("upload");
    let mut image: Option<Vec<u8>> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return failed(&state, &staff, &AdminError::Invalid(e.body_text())).await,
        };
        match field.name() {
            Some("action") => action = field.text().await.unwrap_or_default(),
            Some("icon") => match field.bytes().await {
                Ok(bytes) if bytes.len() <= MAX_ICON_BYTES => image = Some(bytes.to_vec()).filter(|b| !b.is_empty()),
                _ => {
                    let error = AdminError::Invalid("the icon must be at most 1 MiB".into());
                    return failed(&state, &staff, &error).await;
                }
            },
            _ => {}
        }
    }
    let result = match (action.as_str(), image) {
        ("remove", _) => state.admin.set_icon(&staff.user, None).await,
        (_, Some(image)) => state.admin.set_icon(&staff.user, Some(image)).await,
        (_, None) => Err(AdminError::Invalid("choose an image file".into())),
    };
    match result {
        Ok(()) => done("/admin/settings", "icon-saved"),
        Err(e) => failed(&state, &staff, &e).await,
    }
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    frame: Frame,
    entries: Vec<AuditRow>,
    older: Option<Snowflake>,
}

struct AuditRow {
    when: String,
    who: String,
    action: String,
    target: String,
    detail: String,
}

/// `?before=` on the audit page.
#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    before: Option<Snowflake>,
}

/// `GET /admin/audit`.
pub async fn audit(State(state): State<AppState>, staff: Staff, Query(query): Query<AuditQuery>) -> Response {
    let entries = match state.admin.audit_log(&staff.user, query.before, AUDIT_PAGE).await {
        Ok(entries) => entries,
        Err(e) => return broken(&e),
    };
    let older = (entries.len() as i64 == AUDIT_PAGE)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    let entries = entries
        .into_iter()
        .map(|e| AuditRow {
            when: short_time(e.at),
            who: e.actor.map_or_else(|| "command line".to_owned(), |(_, name)| name),
            action: e.action,
            target: e.target,
            detail: e.detail,
        })
        .collect();
    let frame = Frame::new(&state, &staff, "audit", &Notice::default());
    page(&AuditPage { frame, entries, older }, false)
}

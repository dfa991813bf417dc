//! Admin pages for people: accounts (`/admin/users`) and invite links (`/admin/invites`).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::{Frame, Notice, Staff, broken, done, page, short_time};
use crate::admin::{AdminError, Registration};
use crate::app::AppState;
use crate::http::client::Client;
use crate::store::{InviteStatus, Snowflake};

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    frame: Frame,
    users: Vec<UserRow>,
}

struct UserRow {
    id: Snowflake,
    username: String,
    display: Option<String>,
    bot: bool,
    admin: bool,
    disabled: bool,
    me: bool,
    created: String,
    sso: Vec<String>,
}

/// `GET /admin/users`.
pub async fn users(State(state): State<AppState>, staff: Staff, Query(notice): Query<Notice>) -> Response {
    let frame = Frame::new(&state, &staff, "users", &notice);
    show_users(&state, &staff, frame).await
}

async fn show_users(state: &AppState, staff: &Staff, frame: Frame) -> Response {
    let (users, identities) = match (
        state.admin.users(&staff.user).await,
        state.admin.identities(&staff.user).await,
    ) {
        (Ok(users), Ok(identities)) => (users, identities),
        (Err(e), _) | (_, Err(e)) => return broken(&e),
    };
    let users = users
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            me: u.id == staff.user.id,
            display: u.global_name.clone(),
            username: u.username,
            bot: u.is_bot,
            admin: u.is_admin,
            disabled: u.disabled,
            created: short_time(u.created_at),
            sso: identities
                .iter()
                .filter(|i| i.user_id == u.id)
                .map(|i| state.config.oidc.describe_identity(&i.issuer, i.email.as_deref()))
                .collect(),
        })
        .collect();
    let failed = frame.error.is_some();
    page(&UsersPage { frame, users }, failed)
}

/// The "create an account" form.
#[derive(Debug, Deserialize)]
pub struct NewUserForm {
    username: String,
    password: String,
    admin: Option<String>,
}

/// `POST /admin/users`.
pub async fn create_user(State(state): State<AppState>, staff: Staff, Form(form): Form<NewUserForm>) -> Response {
    let is_admin = form.admin.as_deref() == Some("on");
    match state
        .admin
        .create_user(&staff.user, &form.username, &form.password, is_admin)
        .await
    {
        Ok(_) => done("/admin/users", "user-created"),
        Err(e) => failed_users(&state, &staff, &e).await,
    }
}

/// An action on one account.
#[derive(Debug, Deserialize)]
pub struct UserActionForm {
    action: String,
    #[serde(default)]
    password: String,
}

/// `POST /admin/users/{id}`: `action` = disable, enable, promote, demote or password.
pub async fn user_action(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<Snowflake>,
    Form(form): Form<UserActionForm>,
) -> Response {
    let admin = &state.admin;
    let result = match form.action.as_str() {
        "disable" => admin.set_disabled(&staff.user, id, true).await,
        "enable" => admin.set_disabled(&staff.user, id, false).await,
        "promote" => admin.set_admin(&staff.user, id, true).await,
        "demote" => admin.set_admin(&staff.user, id, false).await,
        "password" => admin.reset_password(&staff.user, id, &form.password).await,
        _ => Err(AdminError::Invalid("unknown action".into())),
    };
    match result {
        Ok(()) => done("/admin/users", "user-updated"),
        Err(e) => failed_users(&state, &staff, &e).await,
    }
}

async fn failed_users(state: &AppState, staff: &Staff, error: &AdminError) -> Response {
    let frame = Frame::new(state, staff, "users", &Notice::default()).failed(error);
    show_users(state, staff, frame).await
}

#[derive(Template)]
#[template(path = "admin/invites.html")]
struct InvitesPage {
    frame: Frame,
    closed: bool,
    invites: Vec<InviteRow>,
}

struct InviteRow {
    code: String,
    link: String,
    uses: String,
    expires: String,
    status: &'static str,
    usable: bool,
}

/// `GET /admin/invites`.
pub async fn invites(
    State(state): State<AppState>,
    staff: Staff,
    client: Client,
    headers: HeaderMap,
    Query(notice): Query<Notice>,
) -> Response {
    let frame = Frame::new(&state, &staff, "invites", &notice);
    show_invites(&state, &staff, &client, &headers, frame).await
}

async fn show_invites(state: &AppState, staff: &Staff, client: &Client, headers: &HeaderMap, frame: Frame) -> Response {
    let invites = match state.admin.invites(&staff.user).await {
        Ok(invites) => invites,
        Err(e) => return broken(&e),
    };
    let base = crate::web::sso::public_base(state, headers, client);
    let now = state.clock.now_ms();
    let invites = invites
        .into_iter()
        .map(|i| {
            let status = i.status(now);
            InviteRow {
                link: format!("{base}/invite/{}", i.code),
                uses: if i.max_uses == 0 {
                    format!("{} of unlimited", i.uses)
                } else {
                    format!("{} of {}", i.uses, i.max_uses)
                },
                expires: i.expires_at.map_or_else(|| "never".to_owned(), short_time),
                status: match status {
                    InviteStatus::Valid => "usable",
                    InviteStatus::Expired => "expired",
                    InviteStatus::UsedUp => "used up",
                    InviteStatus::Revoked => "revoked",
                },
                usable: status == InviteStatus::Valid,
                code: i.code,
            }
        })
        .collect();
    let failed = frame.error.is_some();
    let closed = state.settings.get().registration == Registration::Closed;
    page(&InvitesPage { frame, closed, invites }, failed)
}

/// The "create an invite" form.
#[derive(Debug, Deserialize)]
pub struct NewInviteForm {
    max_uses: u32,
    expires: u64,
}

/// `POST /admin/invites`.
pub async fn create_invite(
    State(state): State<AppState>,
    staff: Staff,
    client: Client,
    headers: HeaderMap,
    Form(form): Form<NewInviteForm>,
) -> Response {
    let ttl = std::time::Duration::from_secs(form.expires.clamp(60, 365 * 86_400));
    match state
        .admin
        .create_invite(&staff.user, form.max_uses.min(1000), Some(ttl))
        .await
    {
        Ok(_) => done("/admin/invites", "invite-created"),
        Err(e) => {
            let frame = Frame::new(&state, &staff, "invites", &Notice::default()).failed(&e);
            show_invites(&state, &staff, &client, &headers, frame).await
        }
    }
}

/// `POST /admin/invites/{code}/revoke`.
pub async fn revoke_invite(
    State(state): State<AppState>,
    staff: Staff,
    client: Client,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    match state.admin.revoke_invite(&staff.user, &code).await {
        Ok(()) => done("/admin/invites", "invite-revoked"),
        Err(e) => {
            let frame = Frame::new(&state, &staff, "invites", &Notice::default()).failed(&e);
            show_invites(&state, &staff, &client, &headers, frame).await
        }
    }
}

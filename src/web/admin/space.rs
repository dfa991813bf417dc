//! Admin pages for the home space: channels and categories (`/admin/channels`), a channel's permissions per
//! role (`/admin/channels/{id}/permissions`) and roles (`/admin/roles`).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{Frame, Notice, Staff, broken, done, page};
use crate::admin::{AdminError, Direction};
use crate::app::AppState;
use crate::perms::bits;
use crate::store::{Channel, ChannelKind, Role, Snowflake};

/// The permissions the panel offers, with the words it uses for them.
const LABELLED: &[(u64, &str)] = &[
    (bits::ADMINISTRATOR, "Administrator (everything, everywhere)"),
    (bits::VIEW_CHANNEL, "See the channel"),
    (bits::SEND_MESSAGES, "Send messages"),
    (bits::SEND_MESSAGES_IN_THREADS, "Send messages in threads"),
    (bits::CREATE_PUBLIC_THREADS, "Start public threads"),
    (bits::CREATE_PRIVATE_THREADS, "Start private threads"),
    (bits::READ_MESSAGE_HISTORY, "Read message history"),
    (bits::EMBED_LINKS, "Link previews"),
    (bits::ATTACH_FILES, "Attach files"),
    (bits::ADD_REACTIONS, "Add reactions"),
    (bits::MENTION_EVERYONE, "Mention @everyone"),
    (bits::MANAGE_MESSAGES, "Manage messages (delete, pin)"),
    (bits::MANAGE_THREADS, "Manage threads"),
    (bits::CONNECT, "Join voice"),
    (bits::SPEAK, "Speak in voice"),
    (bits::STREAM, "Video and screenshare"),
    (bits::MUTE_MEMBERS, "Mute members in voice"),
    (bits::DEAFEN_MEMBERS, "Deafen members in voice"),
    (bits::MOVE_MEMBERS, "Move members between voice rooms"),
    (bits::MANAGE_CHANNELS, "Manage channels"),
    (bits::MANAGE_ROLES, "Manage roles"),
    (bits::KICK_MEMBERS, "Remove members"),
    (bits::MANAGE_GUILD, "Manage the space"),
    (bits::CREATE_INSTANT_INVITE, "Create invites"),
];

/// One permission row: its bit, label and state (0 inherit / off, 1 allow / on, 2 deny).
struct Bit {
    bit: u64,
    label: &'static str,
    state: u8,
}

/// Every bit the panel shows (the others are left alone when a form is saved).
fn labelled_bits() -> u64 {
    LABELLED.iter().fold(0, |all, (bit, _)| all | bit)
}

fn bit_rows(allow: u64, deny: u64) -> Vec<Bit> {
    LABELLED
        .iter()
        .map(|&(bit, label)| Bit {
            bit,
            label,
            state: if allow & bit != 0 {
                1
            } else if deny & bit != 0 {
                2
            } else {
                0
            },
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/channels.html")]
struct ChannelsPage {
    frame: Frame,
    categories: Vec<(Snowflake, String)>,
    rows: Vec<ChannelRow>,
    /// Direct messages and group DMs (counts only).
    private: (i64, i64),
}

struct ChannelRow {
    id: Snowflake,
    name: String,
    icon: &'static str,
    kind: &'static str,
    depth: u8,
}

/// `GET /admin/channels`.
pub async fn channels(State(state): State<AppState>, staff: Staff, Query(notice): Query<Notice>) -> Response {
    let frame = Frame::new(&state, &staff, "channels", &notice);
    show_channels(&state, &staff, frame).await
}

async fn show_channels(state: &AppState, staff: &Staff, frame: Frame) -> Response {
    let (guild, _) = match state.admin.space(&staff.user).await {
        Ok(space) => space,
        Err(e) => return broken(&e),
    };
    let mut channels = guild.channels;
    channels.sort_by_key(|c| (c.position, c.id));
    let row = |c: &Channel, depth| ChannelRow {
        id: c.id,
        name: c.name.clone(),
        icon: match c.kind {
            ChannelKind::Voice => "🔊",
            ChannelKind::Category => "▾",
            _ => "#",
        },
        kind: match c.kind {
            ChannelKind::Voice => "voice",
            ChannelKind::Category => "category",
            _ => "text",
        },
        depth,
    };
    // Display order: channels outside categories first, then each category followed by its channels.
    let mut rows: Vec<ChannelRow> = channels
        .iter()
        .filter(|c| c.parent_id.is_none() && c.kind != ChannelKind::Category)
        .map(|c| row(c, 0))
        .collect();
    let categories: Vec<&Channel> = channels.iter().filter(|c| c.kind == ChannelKind::Category).collect();
    for category in &categories {
        rows.push(row(category, 0));
        rows.extend(
            channels
                .iter()
                .filter(|c| c.parent_id == Some(category.id))
                .map(|c| row(c, 1)),
        );
    }
    let categories = categories.iter().map(|c| (c.id, c.name.clone())).collect();
    let private = state.admin.private_counts(&staff.user).await.unwrap_or_default();
    let failed = frame.error.is_some();
    page(
        &ChannelsPage {
            frame,
            categories,
            rows,
            private,
        },
        failed,
    )
}

async fn failed_channels(state: &AppState, staff: &Staff, error: &AdminError) -> Response {
    let frame = Frame::new(state, staff, "channels", &Notice::default()).failed(error);
    show_channels(state, staff, frame).await
}

/// The "create" form.
#[derive(Debug, Deserialize)]
pub struct NewChannelForm {
    name: String,
    kind: i64,
    #[serde(default)]
    parent: String,
}

/// `POST /admin/channels`.
pub async fn create_channel(State(state): State<AppState>, staff: Staff, Form(form): Form<NewChannelForm>) -> Response {
    let parent = form.parent.parse::<Snowflake>().ok();
    match state
        .admin
        .create_channel(&staff.user, &form.name, form.kind, parent)
        .await
    {
        Ok(_) => done("/admin/channels", "channel-created"),
        Err(e) => failed_channels(&state, &staff, &e).await,
    }
}

/// An action on one channel.
#[derive(Debug, Deserialize)]
pub struct ChannelActionForm {
    action: String,
    #[serde(default)]
    name: String,
}

/// `POST /admin/channels/{id}`: `action` = rename, up, down or delete.
pub async fn channel_action(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<Snowflake>,
    Form(form): Form<ChannelActionForm>,
) -> Response {
    let admin = &state.admin;
    let (result, code) = match form.action.as_str() {
        "rename" => (
            admin.rename_channel(&staff.user, id, &form.name).await,
            "channel-updated",
        ),
        "up" => (
            admin.move_channel(&staff.user, id, Direction::Up).await,
            "channel-updated",
        ),
        "down" => (
            admin.move_channel(&staff.user, id, Direction::Down).await,
            "channel-updated",
        ),
        "delete" => (admin.delete_channel(&staff.user, id).await, "channel-deleted"),
        _ => (Err(AdminError::Invalid("unknown action".into())), ""),
    };
    match result {
        Ok(()) => done("/admin/channels", code),
        Err(e) => failed_channels(&state, &staff, &e).await,
    }
}

#[derive(Template)]
#[template(path = "admin/permissions.html")]
struct PermissionsPage {
    frame: Frame,
    channel: String,
    channel_id: Snowflake,
    role_id: Snowflake,
    roles: Vec<(Snowflake, String, bool)>,
    bits: Vec<Bit>,
}

/// `?role=` on the permissions page.
#[derive(Debug, Default, Deserialize)]
pub struct RoleQuery {
    role: Option<Snowflake>,
    done: Option<String>,
}

/// `GET /admin/channels/{id}/permissions?role=`.
pub async fn permissions(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<Snowflake>,
    Query(query): Query<RoleQuery>,
) -> Response {
    let notice = Notice { done: query.done };
    let frame = Frame::new(&state, &staff, "channels", &notice);
    show_permissions(&state, &staff, frame, id, query.role).await
}

async fn show_permissions(
    state: &AppState,
    staff: &Staff,
    frame: Frame,
    channel_id: Snowflake,
    role: Option<Snowflake>,
) -> Response {
    let (guild, roles) = match state.admin.space(&staff.user).await {
        Ok(space) => space,
        Err(e) => return broken(&e),
    };
    let Some(channel) = guild.channels.iter().find(|c| c.id == channel_id) else {
        return super::super::pages::error_page(axum::http::StatusCode::NOT_FOUND, "No such channel.");
    };
    let role_id = role.filter(|r| roles.iter().any(|x| x.id == *r)).unwrap_or(guild.id);
    let overwrite = |role: Snowflake| channel.overwrites.iter().find(|o| o.kind == 0 && o.target_id == role);
    let (allow, deny) = overwrite(role_id).map_or((0, 0), |o| (o.allow, o.deny));
    let roles = roles
        .iter()
        .map(|r| (r.id, r.name.clone(), overwrite(r.id).is_some()))
        .collect();
    let failed = frame.error.is_some();
    let page_data = PermissionsPage {
        frame,
        channel: channel.name.clone(),
        channel_id,
        role_id,
        roles,
        bits: bit_rows(allow, deny),
    };
    page(&page_data, failed)
}

/// `POST /admin/channels/{id}/permissions`: `role`, and `p<bit>` = inherit, allow or deny for each bit.
pub async fn set_permissions(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<Snowflake>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let role = fields
        .iter()
        .find(|(k, _)| k == "role")
        .and_then(|(_, v)| v.parse::<Snowflake>().ok());
    let (mut allow, mut deny) = (0u64, 0u64);
    for (key, value) in &fields {
        let Some(bit) = key.strip_prefix('p').and_then(|b| b.parse::<u64>().ok()) else {
            continue;
        };
        if !LABELLED.iter().any(|(known, _)| *known == bit) {
            continue;
        }
        match value.as_str() {
            "allow" => allow |= bit,
            "deny" => deny |= bit,
            _ => {}
        }
    }
    let result = match role {
        Some(role) => {
            state
                .admin
                .set_overwrite(&staff.user, id, role, (allow, deny), labelled_bits())
                .await
        }
        None => Err(AdminError::Invalid("choose a role".into())),
    };
    match result {
        Ok(()) => done(
            &format!("/admin/channels/{id}/permissions?role={}", role.unwrap_or_default()),
            "permissions-saved",
        ),
        Err(e) => {
            let frame = Frame::new(&state, &staff, "channels", &Notice::default()).failed(&e);
            show_permissions(&state, &staff, frame, id, role).await
        }
    }
}

#[derive(Template)]
#[template(path = "admin/roles.html")]
struct RolesPage {
    frame: Frame,
    roles: Vec<RoleRow>,
    editing: Option<RoleEdit>,
}

struct RoleRow {
    id: Snowflake,
    name: String,
    color: String,
    summary: String,
}

struct RoleEdit {
    id: Snowflake,
    name: String,
    color: String,
    everyone: bool,
    bits: Vec<Bit>,
}

/// `?edit=` on the roles page.
#[derive(Debug, Default, Deserialize)]
pub struct EditQuery {
    edit: Option<Snowflake>,
    done: Option<String>,
}

/// `GET /admin/roles`.
pub async fn roles(State(state): State<AppState>, staff: Staff, Query(query): Query<EditQuery>) -> Response {
    let notice = Notice { done: query.done };
    let frame = Frame::new(&state, &staff, "roles", &notice);
    show_roles(&state, &staff, frame, query.edit).await
}

fn hex_color(color: i64) -> String {
    format!("#{:06x}", color.clamp(0, 0xff_ffff))
}

async fn show_roles(state: &AppState, staff: &Staff, frame: Frame, edit: Option<Snowflake>) -> Response {
    let (guild, roles) = match state.admin.space(&staff.user).await {
        Ok(space) => space,
        Err(e) => return broken(&e),
    };
    let summary = |r: &Role| {
        let names: Vec<&str> = LABELLED
            .iter()
            .filter(|(bit, _)| r.permissions & bit != 0)
            .map(|(_, label)| *label)
            .collect();
        if r.permissions & bits::ADMINISTRATOR != 0 {
            "Administrator".to_owned()
        } else if names.is_empty() {
            "nothing beyond @everyone".to_owned()
        } else {
            names.join(", ")
        }
    };
    let editing = edit
        .and_then(|id| roles.iter().find(|r| r.id == id))
        .map(|r: &Role| RoleEdit {
            id: r.id,
            name: r.name.clone(),
            color: hex_color(r.color),
            everyone: r.id == guild.id,
            bits: bit_rows(r.permissions, 0),
        });
    let rows = roles
        .iter()
        .map(|r| RoleRow {
            id: r.id,
            name: r.name.clone(),
            color: hex_color(r.color),
            summary: summary(r),
        })
        .collect();
    let failed = frame.error.is_some();
    page(
        &RolesPage {
            frame,
            roles: rows,
            editing,
        },
        failed,
    )
}

/// The "create a role" form.
#[derive(Debug, Deserialize)]
pub struct NewRoleForm {
    name: String,
}

/// `POST /admin/roles`.
pub async fn create_role(State(state): State<AppState>, staff: Staff, Form(form): Form<NewRoleForm>) -> Response {
    match state.admin.create_role(&staff.user, &form.name).await {
        Ok(role) => done(&format!("/admin/roles?edit={}", role.id), "role-created"),
        Err(e) => {
            let frame = Frame::new(&state, &staff, "roles", &Notice::default()).failed(&e);
            show_roles(&state, &staff, frame, None).await
        }
    }
}

/// `POST /admin/roles/{id}`: `action` = save (with `name`, `color` and `perm` fields) or delete.
pub async fn role_action(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<Snowflake>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let result = match field("action") {
        Some("delete") => state.admin.delete_role(&staff.user, id).await.map(|()| "role-deleted"),
        Some("save") => {
            let permissions = fields
                .iter()
                .filter(|(k, _)| k == "perm")
                .filter_map(|(_, v)| v.parse::<u64>().ok())
                .filter(|bit| LABELLED.iter().any(|(known, _)| known == bit))
                .fold(0, |all, bit| all | bit);
            let color = field("color")
                .and_then(|c| c.strip_prefix('#'))
                .and_then(|c| i64::from_str_radix(c, 16).ok())
                .unwrap_or(0);
            let name = field("name").unwrap_or_default();
            state
                .admin
                .update_role(&staff.user, id, (name, color), permissions, labelled_bits())
                .await
                .map(|()| "role-updated")
        }
        _ => Err(AdminError::Invalid("unknown action".into())),
    };
    match result {
        Ok(code) => done("/admin/roles", code),
        Err(e) => {
            let frame = Frame::new(&state, &staff, "roles", &Notice::default()).failed(&e);
            show_roles(&state, &staff, frame, Some(id)).await
        }
    }
}

//! Invites over the API: anyone may look an invite up (the sign-up page does); only instance admins create or
//! revoke them, because an invite is a way to create an account.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::json;
use crate::accounts::AccountError;
use crate::app::AppState;
use crate::clock::iso8601;
use crate::http::auth::Authenticated;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, ApiPath};
use crate::store::{Invite, Snowflake};
use crate::wire;

async fn invite_json(state: &AppState, invite: &Invite) -> Result<wire::Invite, ApiError> {
    let guild = state
        .store
        .guild_home()
        .await?
        .ok_or(ApiError::NotFound(10006, "Unknown Invite"))?;
    let channel = guild.channels.iter().find(|c| Some(c.id) == invite.channel_id);
    Ok(wire::Invite {
        kind: 0,
        code: invite.code.clone(),
        guild_id: wire::Id(guild.id),
        guild: wire::InviteGuild {
            id: wire::Id(guild.id),
            name: guild.name.clone(),
            icon: guild.icon.clone(),
            features: Vec::new(),
        },
        channel: channel.map(|c| wire::InviteChannel {
            id: wire::Id(c.id),
            name: c.name.clone(),
            kind: c.kind.code(),
        }),
        uses: invite.uses,
        max_uses: invite.max_uses,
        max_age: invite.expires_at.map_or(0, |at| (at - invite.created_at).max(0) / 1000),
        temporary: false,
        created_at: iso8601(invite.created_at),
        expires_at: invite.expires_at.map(iso8601),
    })
}

/// `GET /invites/{code}`.
pub async fn get(State(state): State<AppState>, ApiPath(code): ApiPath<String>) -> Result<Response, ApiError> {
    let invite = state.accounts.usable_invite(&code).await?;
    Ok(json(invite_json(&state, &invite).await?))
}

/// The body of "create invite".
#[derive(Deserialize, Default)]
pub struct CreateInvite {
    /// Seconds until it expires (0: the configured default).
    max_age: Option<u64>,
    /// Accounts it may create (0: unlimited; default 1).
    max_uses: Option<u32>,
}

/// `POST /channels/{id}/invites` (instance admins).
pub async fn create(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
    ApiJson(input): ApiJson<CreateInvite>,
) -> Result<Response, ApiError> {
    // The channel must be one of the space's that the caller sees (never someone's DM).
    let access = state.chat.access(&auth.user, channel_id).await?;
    if access.channel.kind.is_private() {
        return Err(ApiError::invalid(
            "channel_id",
            "Invites lead into the space, not into a DM.",
        ));
    }
    if !auth.user.is_admin {
        return Err(ApiError::Forbidden("only admins create invites"));
    }
    let ttl = input.max_age.filter(|s| *s > 0).map(std::time::Duration::from_secs);
    let invite = state
        .admin
        .create_invite(&auth.user, input.max_uses.unwrap_or(1), ttl)
        .await?;
    Ok(json(invite_json(&state, &invite).await?))
}

/// `DELETE /invites/{code}` (instance admins).
pub async fn delete(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(code): ApiPath<String>,
) -> Result<Response, ApiError> {
    if !auth.user.is_admin {
        return Err(ApiError::Forbidden("only admins revoke invites"));
    }
    let invite = state
        .store
        .invite_get(&code)
        .await?
        .ok_or(AccountError::UnknownInvite)?;
    state.admin.revoke_invite(&auth.user, &code).await?;
    Ok(json(invite_json(&state, &invite).await?))
}

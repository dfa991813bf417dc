//! Roles and members: `/guilds/{id}/roles/…` and `/guilds/{id}/members/…`.

use axum::extract::State;
use axum::response::Response;

use super::{json, no_content};
use crate::app::AppState;
use axum::http::HeaderMap;

use crate::chat::{ChatError, MemberInput, RoleInput};
use crate::http::auth::Authenticated;
use crate::http::client::Client;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, ApiPath};
use crate::store::Snowflake;
use crate::voice::Moderation;
use crate::wire;

/// `POST /guilds/{id}/roles`.
pub async fn create(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild_id): ApiPath<Snowflake>,
    ApiJson(input): ApiJson<RoleInput>,
) -> Result<Response, ApiError> {
    Ok(json(wire::role(
        &state.chat.create_role(&auth.user, guild_id, input).await?,
    )))
}

/// `PATCH /guilds/{id}/roles/{role_id}`.
pub async fn update(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((guild_id, role_id)): ApiPath<(Snowflake, Snowflake)>,
    ApiJson(input): ApiJson<RoleInput>,
) -> Result<Response, ApiError> {
    Ok(json(wire::role(
        &state.chat.update_role(&auth.user, guild_id, role_id, input).await?,
    )))
}

/// `DELETE /guilds/{id}/roles/{role_id}`.
pub async fn delete(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((guild_id, role_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    state.chat.delete_role(&auth.user, guild_id, role_id).await?;
    Ok(no_content())
}

/// `PUT /guilds/{id}/members/{user_id}/roles/{role_id}`.
pub async fn give(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(ids): ApiPath<(Snowflake, Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    set_role(&state, &auth, ids, true).await
}

/// `DELETE /guilds/{id}/members/{user_id}/roles/{role_id}`.
pub async fn take(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(ids): ApiPath<(Snowflake, Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    set_role(&state, &auth, ids, false).await
}

async fn set_role(
    state: &AppState,
    auth: &Authenticated,
    (guild_id, user_id, role_id): (Snowflake, Snowflake, Snowflake),
    has: bool,
) -> Result<Response, ApiError> {
    state
        .chat
        .set_member_role(&auth.user, guild_id, user_id, role_id, has)
        .await?;
    Ok(no_content())
}

/// `DELETE /guilds/{id}/members/{user_id}`: remove (kick) a member.
pub async fn remove(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((guild_id, user_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    state.chat.remove_member(&auth.user, guild_id, user_id).await?;
    Ok(no_content())
}

/// `PATCH /guilds/{id}/members/@me`.
pub async fn update_me(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild_id): ApiPath<Snowflake>,
    ApiJson(input): ApiJson<MemberInput>,
) -> Result<Response, ApiError> {
    Ok(json(wire::member(
        &state.chat.set_nick(&auth.user, guild_id, auth.user.id, input).await?,
    )))
}

/// The body of `PATCH /guilds/{id}/members/{user_id}`: the nickname and the voice fields.
#[derive(Debug, serde::Deserialize)]
pub struct MemberPatch {
    /// `nick`.
    #[serde(flatten)]
    member: MemberInput,
    /// `mute`, `deaf`, `channel_id`.
    #[serde(flatten)]
    voice: Moderation,
}

/// `PATCH /guilds/{id}/members/{user_id}`: nickname, and server mute/deafen/move/disconnect in voice.
pub async fn update_member(
    State(state): State<AppState>,
    auth: Authenticated,
    headers: HeaderMap,
    client: Client,
    ApiPath((guild_id, user_id)): ApiPath<(Snowflake, Snowflake)>,
    ApiJson(input): ApiJson<MemberPatch>,
) -> Result<Response, ApiError> {
    let gateway_url = super::gateway_url(&state, &headers, &client);
    state
        .voice
        .moderate(&auth.user, guild_id, user_id, input.voice, &gateway_url)
        .await
        .map_err(ChatError::from)?;
    Ok(json(wire::member(
        &state.chat.set_nick(&auth.user, guild_id, user_id, input.member).await?,
    )))
}

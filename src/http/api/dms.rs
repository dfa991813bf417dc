//! Direct messages and group DMs (`/users/@me/channels`, `/channels/{id}/recipients/{user}`), blocks
//! (`/users/@me/relationships`) and the DM setting (`/users/@me/settings`). Reading, modifying and closing a
//! DM by id goes through `channels.rs`, which hands DMs to the chat rules here.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::{json, no_content};
use crate::app::AppState;
use crate::chat::{ChatError, OpenInput};
use crate::http::auth::Authenticated;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, ApiPath};
use crate::store::Snowflake;

/// `POST /users/@me/channels`: opens the DM with `recipient_id` (the same one each time), or creates a group
/// DM with `recipients`.
pub async fn open(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(input): ApiJson<OpenInput>,
) -> Result<Response, ApiError> {
    Ok(json(state.chat.open_private(&auth.user, input).await?))
}

/// `GET /users/@me/channels`: the open DMs and group DMs, most recent first.
pub async fn list(State(state): State<AppState>, auth: Authenticated) -> Result<Response, ApiError> {
    Ok(json(state.chat.private_channels(&auth.user).await?))
}

/// `PUT /channels/{id}/recipients/{user_id}`: adds someone to a group DM.
pub async fn add_recipient(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((channel_id, user_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    state.chat.add_recipient(&auth.user, channel_id, user_id).await?;
    Ok(no_content())
}

/// `DELETE /channels/{id}/recipients/{user_id}`: the owner removes someone, or someone leaves.
pub async fn remove_recipient(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((channel_id, user_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    state.chat.remove_recipient(&auth.user, channel_id, user_id).await?;
    Ok(no_content())
}

/// `GET /users/@me/relationships`: the people the user blocked (Discord's type 2).
pub async fn relationships(State(state): State<AppState>, auth: Authenticated) -> Result<Response, ApiError> {
    Ok(json(state.chat.relationships(&auth.user).await?))
}

/// The body of `PUT /users/@me/relationships/{id}`.
#[derive(Debug, Deserialize)]
pub struct RelationshipInput {
    /// 2: block (the only kind spot has; friend requests are not needed among people in one space).
    #[serde(rename = "type")]
    kind: Option<i64>,
}

/// `PUT /users/@me/relationships/{id}` with `{"type": 2}`: blocks someone.
pub async fn block(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(user_id): ApiPath<Snowflake>,
    ApiJson(input): ApiJson<RelationshipInput>,
) -> Result<Response, ApiError> {
    if input.kind != Some(2) {
        return Err(ChatError::invalid("type", "Only 2 (block) is supported: spot has no friend requests").into());
    }
    state.chat.block(&auth.user, user_id).await?;
    Ok(no_content())
}

/// `DELETE /users/@me/relationships/{id}`: unblocks.
pub async fn unblock(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(user_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    state.chat.unblock(&auth.user, user_id).await?;
    Ok(no_content())
}

/// `GET /users/@me/settings`.
pub async fn settings(State(state): State<AppState>, auth: Authenticated) -> Result<Response, ApiError> {
    Ok(json(state.chat.settings(&auth.user).await?))
}

/// The body of `PATCH /users/@me/settings`.
#[derive(Debug, Deserialize)]
pub struct SettingsInput {
    /// Refuse DMs from people in the space.
    default_guilds_restricted: Option<bool>,
}

/// `PATCH /users/@me/settings`.
pub async fn update_settings(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(input): ApiJson<SettingsInput>,
) -> Result<Response, ApiError> {
    match input.default_guilds_restricted {
        Some(restricted) => Ok(json(state.chat.set_dms_restricted(&auth.user, restricted).await?)),
        None => Ok(json(state.chat.settings(&auth.user).await?)),
    }
}

/// The body of the call routes.
#[derive(Debug, Default, Deserialize)]
pub struct CallInput {
    /// Whom to (stop) ringing; absent: the caller when declining, everyone not in the call when ringing.
    #[serde(default, deserialize_with = "ids")]
    recipients: Option<Vec<Snowflake>>,
}

fn ids<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<Snowflake>>, D::Error> {
    let list: Option<Vec<serde_json::Value>> = Option::deserialize(d)?;
    list.map(|list| {
        list.iter()
            .map(|v| match v {
                serde_json::Value::String(s) => s.parse().map_err(serde::de::Error::custom),
                serde_json::Value::Number(n) => n.as_i64().ok_or_else(|| serde::de::Error::custom("not a snowflake")),
                _ => Err(serde::de::Error::custom("not a snowflake")),
            })
            .collect()
    })
    .transpose()
}

/// `POST /channels/{id}/call/ring`: rings people in a DM or group DM call (the caller must be in it).
pub async fn ring(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
    ApiJson(input): ApiJson<CallInput>,
) -> Result<Response, ApiError> {
    state
        .voice
        .ring(&auth.user, channel_id, input.recipients)
        .await
        .map_err(ChatError::from)?;
    Ok(no_content())
}

/// `POST /channels/{id}/call/stop-ringing`: declines a call (or stops ringing the people named).
pub async fn stop_ringing(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
    ApiJson(input): ApiJson<CallInput>,
) -> Result<Response, ApiError> {
    state
        .voice
        .stop_ringing(&auth.user, channel_id, input.recipients)
        .await
        .map_err(ChatError::from)?;
    Ok(no_content())
}

//! `/channels/{id}`: read, modify and delete a channel or thread (a DM or group DM: read, rename, close or
//! leave); typing.

use axum::extract::State;
use axum::response::Response;

use super::{json, no_content};
use crate::app::AppState;
use crate::chat::{ChannelInput, GroupInput};
use crate::http::auth::Authenticated;
use crate::http::error::ApiError;
use crate::http::extract::{ApiPath, parse_json};
use crate::store::Snowflake;
use crate::wire;

/// `GET /channels/{id}`.
pub async fn get(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let access = state.chat.access(&auth.user, channel_id).await?;
    if access.channel.kind.is_private() {
        return Ok(json(state.chat.private_channel(&auth.user, channel_id).await?));
    }
    Ok(json(wire::channel(&access.channel)))
}

/// `PATCH /channels/{id}`.
pub async fn update(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let access = state.chat.access(&auth.user, channel_id).await?;
    if access.channel.kind.is_private() {
        let input: GroupInput = parse_json(&body)?;
        let icons = state.config.server.data_dir.join("channel-icons");
        return Ok(json(
            state.chat.update_group(&auth.user, channel_id, input, &icons).await?,
        ));
    }
    let input: ChannelInput = parse_json(&body)?;
    let channel = state.chat.update_channel(&auth.user, channel_id, input).await?;
    Ok(json(wire::channel(&channel)))
}

/// `DELETE /channels/{id}`: returns the deleted channel, as Discord does.
pub async fn delete(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let access = state.chat.access(&auth.user, channel_id).await?;
    if access.channel.kind.is_private() {
        return Ok(json(state.chat.close_private(&auth.user, channel_id).await?));
    }
    let channel = state.chat.delete_channel(&auth.user, channel_id).await?;
    Ok(json(wire::channel(&channel)))
}

/// `POST /channels/{id}/typing`.
pub async fn typing(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    state.chat.typing(&auth.user, channel_id).await?;
    Ok(no_content())
}

//! `/channels/{id}`: read, modify and delete a channel or thread; typing.

use axum::extract::State;
use axum::response::Response;

use super::{json, no_content};
use crate::app::AppState;
use crate::chat::ChannelInput;
use crate::http::auth::Authenticated;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, ApiPath};
use crate::store::Snowflake;
use crate::wire;

/// `GET /channels/{id}`.
pub async fn get(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let access = state.chat.access(&auth.user, channel_id).await?;
    Ok(json(wire::channel(&access.channel)))
}

/// `PATCH /channels/{id}`.
pub async fn update(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
    ApiJson(input): ApiJson<ChannelInput>,
) -> Result<Response, ApiError> {
    let channel = state.chat.update_channel(&auth.user, channel_id, input).await?;
    Ok(json(wire::channel(&channel)))
}

/// `DELETE /channels/{id}`: returns the deleted channel, as Discord does.
pub async fn delete(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
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

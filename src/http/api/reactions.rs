//! `/channels/{id}/messages/{id}/reactions/…`. Emoji arrive percent-encoded in the path; axum decodes them.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

use super::{json, no_content};
use crate::app::AppState;
use crate::http::auth::Authenticated;
use crate::http::error::ApiError;
use crate::http::extract::{ApiPath, ApiQuery};
use crate::store::Snowflake;
use crate::wire;

/// `PUT …/reactions/{emoji}/@me`.
pub async fn add(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((channel_id, message_id, emoji)): ApiPath<(Snowflake, Snowflake, String)>,
) -> Result<Response, ApiError> {
    state.chat.react(&auth.user, channel_id, message_id, &emoji).await?;
    Ok(no_content())
}

/// `DELETE …/reactions/{emoji}/@me`.
pub async fn remove_own(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((channel_id, message_id, emoji)): ApiPath<(Snowflake, Snowflake, String)>,
) -> Result<Response, ApiError> {
    state
        .chat
        .unreact(&auth.user, channel_id, message_id, &emoji, auth.user.id)
        .await?;
    Ok(no_content())
}

/// `DELETE …/reactions/{emoji}/{user_id}`.
pub async fn remove_user(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((channel_id, message_id, emoji, user_id)): ApiPath<(Snowflake, Snowflake, String, Snowflake)>,
) -> Result<Response, ApiError> {
    state
        .chat
        .unreact(&auth.user, channel_id, message_id, &emoji, user_id)
        .await?;
    Ok(no_content())
}

/// `DELETE …/reactions/{emoji}`.
pub async fn clear_emoji(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((channel_id, message_id, emoji)): ApiPath<(Snowflake, Snowflake, String)>,
) -> Result<Response, ApiError> {
    state
        .chat
        .clear_reactions(&auth.user, channel_id, message_id, Some(&emoji))
        .await?;
    Ok(no_content())
}

/// `DELETE …/reactions`.
pub async fn clear_all(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((channel_id, message_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    state
        .chat
        .clear_reactions(&auth.user, channel_id, message_id, None)
        .await?;
    Ok(no_content())
}

/// Paging of reactors.
#[derive(Deserialize)]
pub struct ReactorsQuery {
    after: Option<Snowflake>,
    limit: Option<i64>,
}

/// `GET …/reactions/{emoji}`.
pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((channel_id, message_id, emoji)): ApiPath<(Snowflake, Snowflake, String)>,
    ApiQuery(query): ApiQuery<ReactorsQuery>,
) -> Result<Response, ApiError> {
    let users = state
        .chat
        .reactors(
            &auth.user,
            channel_id,
            message_id,
            &emoji,
            query.after.unwrap_or(0),
            crate::http::extract::within("limit", query.limit, 25, 1..=100)?,
        )
        .await?;
    Ok(json(Value::Array(users.iter().map(wire::user).collect())))
}

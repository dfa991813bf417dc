//! Threads: start (from a message or not), join and leave, members, active and archived lists.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{json, no_content};
use crate::app::AppState;
use crate::chat::ThreadInput;
use crate::http::auth::Authenticated;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::store::{Channel, Snowflake};
use crate::wire;

fn created(thread: &Channel) -> Response {
    (StatusCode::CREATED, axum::Json(wire::channel(thread))).into_response()
}

/// `POST /channels/{id}/messages/{id}/threads`.
pub async fn start_from_message(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((channel_id, message_id)): ApiPath<(Snowflake, Snowflake)>,
    ApiJson(input): ApiJson<ThreadInput>,
) -> Result<Response, ApiError> {
    let thread = state
        .chat
        .start_thread_from_message(&auth.user, channel_id, message_id, input)
        .await?;
    Ok(created(&thread))
}

/// `POST /channels/{id}/threads`.
pub async fn start(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
    ApiJson(input): ApiJson<ThreadInput>,
) -> Result<Response, ApiError> {
    let thread = state.chat.start_thread(&auth.user, channel_id, input).await?;
    Ok(created(&thread))
}

/// `PUT /channels/{id}/thread-members/@me`.
pub async fn join(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(thread_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    state.chat.join_thread(&auth.user, thread_id, auth.user.id).await?;
    Ok(no_content())
}

/// `DELETE /channels/{id}/thread-members/@me`.
pub async fn leave(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(thread_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    state.chat.leave_thread(&auth.user, thread_id, auth.user.id).await?;
    Ok(no_content())
}

/// `PUT /channels/{id}/thread-members/{user_id}`.
pub async fn add_member(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((thread_id, user_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    state.chat.join_thread(&auth.user, thread_id, user_id).await?;
    Ok(no_content())
}

/// `DELETE /channels/{id}/thread-members/{user_id}`.
pub async fn remove_member(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((thread_id, user_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    state.chat.leave_thread(&auth.user, thread_id, user_id).await?;
    Ok(no_content())
}

/// `GET /channels/{id}/thread-members`.
pub async fn members(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(thread_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    Ok(json(state.chat.thread_members(&auth.user, thread_id).await?))
}

/// `GET /guilds/{id}/threads/active`.
pub async fn active(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let threads = state.chat.active_threads(&auth.user, guild_id).await?;
    Ok(json(
        json!({"threads": threads.iter().map(wire::channel).collect::<Vec<_>>(), "members": [], "has_more": false}),
    ))
}

/// Paging of archived threads.
#[derive(Deserialize)]
pub struct ArchivedQuery {
    limit: Option<i64>,
}

/// `GET /channels/{id}/threads/archived/public`.
pub async fn archived_public(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
    ApiQuery(query): ApiQuery<ArchivedQuery>,
) -> Result<Response, ApiError> {
    let limit = crate::http::extract::within("limit", query.limit, 50, 1..=100)?;
    let threads = state.chat.archived_threads(&auth.user, channel_id, limit + 1).await?;
    let has_more = threads.len() as i64 > limit;
    let threads: Vec<Value> = threads.iter().take(limit as usize).map(wire::channel).collect();
    Ok(json(json!({"threads": threads, "members": [], "has_more": has_more})))
}

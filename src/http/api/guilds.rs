//! `/guilds/{id}/…`: the home space, its channels, members and roles, and message search.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::json;
use crate::app::AppState;
use crate::chat::{ChannelInput, ChatError};
use crate::http::auth::Authenticated;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::store::Snowflake;
use crate::wire;

/// `GET /guilds/{id}`.
pub async fn guild(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let view = state.chat.guild_view(&auth.user, Some(guild_id)).await?;
    let mut value = wire::guild(&view.guild, &view.roles, &view.emojis, &view.stickers);
    value["approximate_member_count"] = json!(view.members.len());
    Ok(json(value))
}

/// `GET /guilds/{id}/channels`: the channels the caller can see.
pub async fn channels(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let view = state.chat.guild_view(&auth.user, Some(guild_id)).await?;
    Ok(json(Value::Array(
        view.guild.channels.iter().map(wire::channel).collect(),
    )))
}

/// `POST /guilds/{id}/channels`.
pub async fn create_channel(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild_id): ApiPath<Snowflake>,
    ApiJson(input): ApiJson<ChannelInput>,
) -> Result<Response, ApiError> {
    let channel = state.chat.create_channel(&auth.user, guild_id, input).await?;
    Ok((StatusCode::CREATED, axum::Json(wire::channel(&channel))).into_response())
}

/// Paging of the member list.
#[derive(Deserialize)]
pub struct MembersQuery {
    limit: Option<i64>,
    after: Option<Snowflake>,
}

/// `GET /guilds/{id}/members`.
pub async fn members(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild_id): ApiPath<Snowflake>,
    ApiQuery(query): ApiQuery<MembersQuery>,
) -> Result<Response, ApiError> {
    state.chat.guild_view(&auth.user, Some(guild_id)).await?;
    let limit = crate::http::extract::within("limit", query.limit, 1, 1..=1000)?;
    let members = state
        .store
        .members_list(guild_id, query.after.unwrap_or(0), limit)
        .await?;
    Ok(json(Value::Array(members.iter().map(wire::member).collect())))
}

/// `GET /guilds/{id}/members/{user_id}`.
pub async fn member(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((guild_id, user_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    state.chat.guild_view(&auth.user, Some(guild_id)).await?;
    let member = state
        .store
        .member_get(guild_id, user_id)
        .await?
        .ok_or(ApiError::NotFound(10007, "Unknown Member"))?;
    Ok(json(wire::member(&member)))
}

/// `GET /guilds/{id}/roles`.
pub async fn roles(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let view = state.chat.guild_view(&auth.user, Some(guild_id)).await?;
    Ok(json(Value::Array(view.roles.iter().map(wire::role).collect())))
}

/// Search parameters (Discord's names).
#[derive(Deserialize)]
pub struct SearchQuery {
    content: Option<String>,
    channel_id: Option<Snowflake>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// `GET /guilds/{id}/messages/search?content=…`: full-text search in the channels the caller can read.
pub async fn search(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild_id): ApiPath<Snowflake>,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Response, ApiError> {
    let mut channels = state.chat.visible_channels(&auth.user, guild_id).await?;
    if channels.is_empty() {
        return Err(ChatError::UnknownGuild.into());
    }
    if let Some(only) = query.channel_id {
        channels.retain(|c| *c == only);
    }
    search_in(&state, &auth, channels, Some(guild_id), query).await
}

/// `GET /channels/{id}/messages/search?content=…`: the same search in one channel, DM or group DM (Discord's
/// route for DMs).
pub async fn search_channel(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Response, ApiError> {
    let access = state.chat.access(&auth.user, channel_id).await?;
    access.require(crate::perms::bits::READ_MESSAGE_HISTORY)?;
    search_in(&state, &auth, vec![channel_id], access.channel.guild_id, query).await
}

async fn search_in(
    state: &AppState,
    auth: &Authenticated,
    channels: Vec<Snowflake>,
    guild_id: Option<Snowflake>,
    query: SearchQuery,
) -> Result<Response, ApiError> {
    let content = query.content.unwrap_or_default();
    if content.trim().is_empty() || content.chars().count() > 1024 {
        return Err(ApiError::invalid("content", "Must be between 1 and 1024 in length."));
    }
    let limit = crate::http::extract::within("limit", query.limit, 25, 1..=25)?;
    let offset = crate::http::extract::within("offset", query.offset, 0, 0..=9975)?;
    let (total, found) = state
        .store
        .messages_search(channels, content, offset, limit, auth.user.id)
        .await?;
    Ok(json(wire::SearchResults {
        total_results: total,
        messages: found
            .iter()
            .map(|m| [wire::Message::new(m, guild_id, None, state.chat.urls())])
            .collect(),
        analytics_id: String::new(),
        doing_deep_historical_index: false,
    }))
}

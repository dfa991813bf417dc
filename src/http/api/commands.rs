//! Application commands (`/applications/{id}/commands`, and `/applications/{id}/guilds/{guild}/commands`: list,
//! create (upsert), bulk overwrite, get, modify, delete) for the bot that owns them, and the command index the
//! web client reads (`/guilds/{id}/application-command-index`, `/channels/{id}/application-command-index`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::{json, no_content};
use crate::app::AppState;
use crate::chat::ChatError;
use crate::http::auth::Authenticated;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, ApiPath};
use crate::store::Snowflake;

/// `GET /applications/{app}/commands`.
pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(app): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    Ok(json(state.chat.commands(&auth.user, app, None).await?))
}

/// `GET /applications/{app}/guilds/{guild}/commands`.
pub async fn list_guild(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((app, guild)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    Ok(json(state.chat.commands(&auth.user, app, Some(guild)).await?))
}

async fn create_in(
    state: &AppState,
    auth: &Authenticated,
    app: Snowflake,
    guild: Option<Snowflake>,
    body: Value,
) -> Result<Response, ApiError> {
    let (command, new) = state.chat.create_command(&auth.user, app, guild, body).await?;
    let status = if new { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, json(command)).into_response())
}

/// `POST /applications/{app}/commands`: 201 when new, 200 when it replaced one of the same name.
pub async fn create(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(app): ApiPath<Snowflake>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Response, ApiError> {
    create_in(&state, &auth, app, None, body).await
}

/// `POST /applications/{app}/guilds/{guild}/commands`.
pub async fn create_guild(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((app, guild)): ApiPath<(Snowflake, Snowflake)>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Response, ApiError> {
    create_in(&state, &auth, app, Some(guild), body).await
}

fn list_of(body: Value) -> Result<Vec<Value>, ApiError> {
    match body {
        Value::Array(list) => Ok(list),
        _ => Err(ChatError::invalid("body", "Must be a list of commands").into()),
    }
}

/// `PUT /applications/{app}/commands`: the global commands become exactly these.
pub async fn overwrite(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(app): ApiPath<Snowflake>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Response, ApiError> {
    Ok(json(
        state
            .chat
            .overwrite_commands(&auth.user, app, None, list_of(body)?)
            .await?,
    ))
}

/// `PUT /applications/{app}/guilds/{guild}/commands`.
pub async fn overwrite_guild(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((app, guild)): ApiPath<(Snowflake, Snowflake)>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Response, ApiError> {
    Ok(json(
        state
            .chat
            .overwrite_commands(&auth.user, app, Some(guild), list_of(body)?)
            .await?,
    ))
}

/// `GET /applications/{app}/commands/{id}`.
pub async fn get(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((app, id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    let command = state.chat.command(&auth.user, app, None, id).await?;
    Ok(json(crate::chat::commands::render(&command)))
}

/// `GET /applications/{app}/guilds/{guild}/commands/{id}`.
pub async fn get_guild(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((app, guild, id)): ApiPath<(Snowflake, Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    let command = state.chat.command(&auth.user, app, Some(guild), id).await?;
    Ok(json(crate::chat::commands::render(&command)))
}

/// `PATCH /applications/{app}/commands/{id}`.
pub async fn update(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((app, id)): ApiPath<(Snowflake, Snowflake)>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Response, ApiError> {
    Ok(json(state.chat.update_command(&auth.user, app, None, id, body).await?))
}

/// `PATCH /applications/{app}/guilds/{guild}/commands/{id}`.
pub async fn update_guild(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((app, guild, id)): ApiPath<(Snowflake, Snowflake, Snowflake)>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Response, ApiError> {
    Ok(json(
        state
            .chat
            .update_command(&auth.user, app, Some(guild), id, body)
            .await?,
    ))
}

/// `DELETE /applications/{app}/commands/{id}`.
pub async fn delete(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((app, id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    state.chat.delete_command(&auth.user, app, None, id).await?;
    Ok(no_content())
}

/// `DELETE /applications/{app}/guilds/{guild}/commands/{id}`.
pub async fn delete_guild(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((app, guild, id)): ApiPath<(Snowflake, Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    state.chat.delete_command(&auth.user, app, Some(guild), id).await?;
    Ok(no_content())
}

/// `GET /applications/{app}/guilds/{guild}/commands/permissions`: spot keeps no per-command overrides.
pub async fn permissions(
    auth: Authenticated,
    ApiPath((app, _guild)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    if auth.user.id != app {
        return Err(ChatError::MissingAccess.into());
    }
    Ok(json(Vec::<Value>::new()))
}

/// `GET /channels/{channel}/application-command-index`.
pub async fn index_channel(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    Ok(json(state.chat.command_index(&auth.user, channel).await?))
}

/// `GET /guilds/{guild}/application-command-index`: the commands usable in the space (as in its first text
/// channel the user can read).
pub async fn index_guild(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let visible = state.chat.visible_channels(&auth.user, guild).await?;
    let mut channels = state.store.channels_of_guild(guild).await?;
    channels.retain(|c| visible.contains(&c.id) && c.kind.is_textual());
    let channel = channels.first().ok_or(ChatError::UnknownGuild)?;
    Ok(json(state.chat.command_index(&auth.user, channel.id).await?))
}

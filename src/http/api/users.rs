//! `/users/…` and the application object bots ask for at login.

use axum::extract::State;
use axum::response::Response;
use serde_json::json;

use super::json;
use crate::app::AppState;
use crate::chat::ChatError;
use crate::http::auth::Authenticated;
use crate::http::error::ApiError;
use crate::http::extract::ApiPath;
use crate::store::Snowflake;
use crate::wire;

/// `GET /users/@me`.
pub async fn me(auth: Authenticated) -> Response {
    json(wire::current_user(&auth.user))
}

/// `PATCH /users/@me`: display name and avatar.
pub async fn update_me(
    State(state): State<AppState>,
    auth: Authenticated,
    crate::http::extract::ApiJson(input): crate::http::extract::ApiJson<crate::chat::profile::ProfileInput>,
) -> Result<Response, ApiError> {
    let avatars = state.config.server.data_dir.join("avatars");
    let user = state.chat.update_profile(&auth.user, input, &avatars).await?;
    Ok(json(wire::current_user(&user)))
}

/// `GET /users/{id}`: any member of the home space.
pub async fn user(
    State(state): State<AppState>,
    _auth: Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let id: Snowflake = id.parse().map_err(|_| ApiError::Chat(ChatError::UnknownUser))?;
    let user = state
        .store
        .user_by_id(id)
        .await?
        .ok_or(ApiError::Chat(ChatError::UnknownUser))?;
    Ok(json(wire::user(&user)))
}

/// `GET /users/@me/guilds`: the home space.
pub async fn my_guilds(State(state): State<AppState>, auth: Authenticated) -> Result<Response, ApiError> {
    let view = state.chat.guild_view(&auth.user, None).await?;
    let ctx = state
        .store
        .guild_permission_context(view.guild.id, auth.user.id)
        .await?;
    let permissions = ctx.map_or(0, |c| crate::perms::guild_level(&c));
    Ok(json(json!([{
        "id": wire::id(view.guild.id),
        "name": view.guild.name,
        "icon": view.guild.icon,
        "banner": null,
        "owner": view.guild.owner_id == auth.user.id,
        "permissions": permissions.to_string(),
        "features": [],
    }])))
}

/// `GET /oauth2/applications/@me`: a bot's application (discord.py reads it at login). The application id is
/// the bot's user id, as for Discord bots.
pub async fn application(State(state): State<AppState>, auth: Authenticated) -> Result<Response, ApiError> {
    let guild = state.store.guild_home().await?;
    let owner = match &guild {
        Some(g) => state.store.user_by_id(g.owner_id).await?,
        None => None,
    };
    let owner = owner.as_ref().map(wire::user).unwrap_or_else(|| wire::user(&auth.user));
    Ok(json(json!({
        "id": wire::id(auth.user.id),
        "name": auth.user.username,
        "description": "",
        "icon": null,
        "bot_public": false,
        "bot_require_code_grant": false,
        "owner": owner,
        "verify_key": "",
        "flags": 0,
        "team": null,
        "interactions_endpoint_url": null,
        "rpc_origins": [],
        "bot": wire::user(&auth.user),
    })))
}

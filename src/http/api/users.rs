//! `/users/…` and the application object bots ask for at login.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::json;
use crate::accounts::AccountError;
use crate::app::AppState;
use crate::chat::ChatError;
use crate::chat::profile::ProfileInput;
use crate::http::auth::Authenticated;
use crate::http::client::Client;
use crate::http::cookies;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, ApiPath};
use crate::store::Snowflake;
use crate::wire;

/// `GET /users/@me`.
pub async fn me(auth: Authenticated) -> Response {
    json(wire::current_user(&auth.user))
}

/// The body of "modify current user": the profile, and (as on Discord) a password change when both
/// `password` (the current one) and `new_password` are given.
#[derive(Deserialize)]
pub struct UpdateMe {
    #[serde(flatten)]
    profile: ProfileInput,
    password: Option<String>,
    new_password: Option<String>,
}

/// `PATCH /users/@me`: display name, avatar, password. The profile changes first, so a refused profile change
/// never leaves the password changed. A password change ends every session; this browser continues under the new
/// session (and CSRF) cookies in the response.
pub async fn update_me(
    State(state): State<AppState>,
    auth: Authenticated,
    client: Client,
    ApiJson(input): ApiJson<UpdateMe>,
) -> Result<Response, ApiError> {
    if input.new_password.is_some() && auth.session().is_none() {
        return Err(ApiError::invalid(
            "new_password",
            "Only accounts that log in have a password.",
        ));
    }
    let avatars = state.config.server.data_dir.join("avatars");
    let user = state.chat.update_profile(&auth.user, input.profile, &avatars).await?;
    let mut headers = HeaderMap::new();
    if let Some(new) = &input.new_password {
        let current = input.password.as_deref().unwrap_or_default();
        let token = match state
            .accounts
            .change_password(&auth.user, current, new, &client.info())
            .await
        {
            Ok(token) => token,
            Err(AccountError::InvalidCredentials) => {
                return Err(ApiError::invalid("password", "Password does not match."));
            }
            Err(AccountError::WeakPassword(why)) => {
                return Err(ApiError::invalid("new_password", format!("Password {why}.")));
            }
            Err(other) => return Err(other.into()),
        };
        headers = cookies::start_session(&state.config.security, &token, client.https);
    }
    Ok((headers, json(wire::current_user(&user))).into_response())
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
    let owner = owner.as_ref().unwrap_or(&auth.user);
    let flags = crate::hub::intents::application_flags(state.config.gateway.privileged_intents);
    Ok(json(wire::Application {
        id: wire::Id(auth.user.id),
        name: auth.user.username.clone(),
        icon: None,
        description: String::new(),
        kind: None,
        bot_public: false,
        bot_require_code_grant: false,
        owner: wire::User::from(owner),
        verify_key: String::new(),
        flags,
        flags_new: flags.to_string(),
        team: None,
        interactions_endpoint_url: None,
        role_connections_verification_url: None,
        redirect_uris: Vec::new(),
        rpc_origins: Vec::new(),
        approximate_guild_count: i32::from(guild.is_some()),
        approximate_user_install_count: 0,
        approximate_user_authorization_count: 0,
        explicit_content_filter: 0,
        eligible_oauth2_scopes: vec!["bot", "applications.commands"],
        bot: wire::User::from(&auth.user),
    }))
}

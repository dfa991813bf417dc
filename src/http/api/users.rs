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
    Ok(json(application_of(&state, &auth.user).await?))
}

/// `PATCH /applications/@me`: a bot changes its application's description (up to 400 characters) and icon
/// (its avatar, as a data URI). Interactions arrive over the gateway, so `interactions_endpoint_url` is refused.
pub async fn update_application(
    State(state): State<AppState>,
    auth: Authenticated,
    crate::http::extract::ApiJson(body): crate::http::extract::ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    if !auth.user.is_bot {
        return Err(ApiError::Forbidden("only a bot has an application"));
    }
    if body.get("interactions_endpoint_url").is_some_and(|v| !v.is_null()) {
        return Err(ApiError::Invalid(
            "interactions_endpoint_url".into(),
            "spot delivers interactions over the gateway".into(),
        ));
    }
    let mut user = auth.user.clone();
    if let Some(description) = body.get("description").filter(|v| !v.is_null()) {
        let description = description
            .as_str()
            .filter(|d| d.chars().count() <= 400)
            .ok_or_else(|| ApiError::Invalid("description".into(), "Must be 400 or fewer in length.".into()))?;
        state
            .store
            .application_set_description(user.id, description.to_owned())
            .await?;
    }
    if let Some(icon) = body.get("icon") {
        let input: crate::chat::profile::ProfileInput = serde_json::from_value(json!({"avatar": icon}))
            .map_err(|_| ApiError::Invalid("icon".into(), "Must be a data URI or null".into()))?;
        user = state
            .chat
            .update_profile(&user, input, &state.config.server.data_dir.join("avatars"))
            .await?;
    }
    Ok(json(application_of(&state, &user).await?))
}

async fn application_of(state: &AppState, user: &crate::store::User) -> Result<wire::Application, ApiError> {
    let guild = state.store.guild_home().await?;
    let owner = match &guild {
        Some(g) => state.store.user_by_id(g.owner_id).await?,
        None => None,
    };
    let owner = owner.as_ref().unwrap_or(user);
    let flags = crate::hub::intents::application_flags(state.config.gateway.privileged_intents);
    Ok(wire::Application {
        id: wire::Id(user.id),
        name: user.username.clone(),
        icon: user.avatar.clone(),
        description: state.store.application_description(user.id).await?,
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
        bot: wire::User::from(user),
    })
}

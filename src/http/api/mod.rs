//! The Discord-compatible REST API under `/api/v10` (and `/api`), one file per resource.

mod channels;
mod commands;
mod dms;
mod expressions;
pub use gateway::gateway_url;
mod gateway;
mod guilds;
mod interactions;
mod invites;
mod messages;
mod music;
mod notifications;
mod reactions;
mod roles;
mod sessions;
mod threads;
mod users;
mod webhooks;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, extract::State};
use serde_json::Value;

use super::auth::Authenticated;
use super::client::Client;
use super::cookies;
use super::error::ApiError;
use crate::app::AppState;

/// The API routes, relative to `/api/v10`, rate-limited per caller and route.
pub fn routes(state: &AppState) -> Router<AppState> {
    let uploads = || {
        (
            DefaultBodyLimit::disable(),
            axum::middleware::from_fn_with_state(state.clone(), upload_limit),
        )
    };
    Router::new()
        .route("/gateway", get(gateway::gateway))
        .route("/gateway/bot", get(gateway::gateway_bot))
        .route("/users/@me", get(users::me).patch(users::update_me))
        .route("/users/@me/guilds", get(users::my_guilds))
        .route("/users/@me/channels", get(dms::list).post(dms::open))
        .route("/users/@me/relationships", get(dms::relationships))
        .route(
            "/users/@me/relationships/{user_id}",
            axum::routing::put(dms::block).delete(dms::unblock),
        )
        .route("/users/@me/settings", get(dms::settings).patch(dms::update_settings))
        .route(
            "/users/@me/push",
            get(notifications::state)
                .post(notifications::subscribe)
                .delete(notifications::unsubscribe),
        )
        .route(
            "/users/@me/guilds/{guild_id}/settings",
            axum::routing::patch(notifications::update_settings),
        )
        .route("/channels/{channel_id}/call/ring", post(dms::ring))
        .route("/channels/{channel_id}/call/stop-ringing", post(dms::stop_ringing))
        .route(
            "/channels/{channel_id}/recipients/{user_id}",
            axum::routing::put(dms::add_recipient).delete(dms::remove_recipient),
        )
        .route("/users/@me/sessions", get(sessions::list))
        .route("/users/@me/sessions/logout", post(sessions::logout))
        .route("/users/{user_id}", get(users::user))
        .route("/oauth2/applications/@me", get(users::application))
        .route(
            "/applications/@me",
            get(users::application).patch(users::update_application),
        )
        .route("/auth/logout", post(logout))
        // Discord's default soundboard sounds: spot has none yet, and py-cord waits for this list before it
        // reports ready.
        .route("/soundboard-default-sounds", get(soundboard_default_sounds))
        .route("/guilds/{guild_id}", get(guilds::guild))
        .route(
            "/guilds/{guild_id}/channels",
            get(guilds::channels).post(guilds::create_channel),
        )
        .route("/guilds/{guild_id}/members", get(guilds::members))
        .route(
            "/guilds/{guild_id}/members/{user_id}",
            get(guilds::member).patch(roles::update_member).delete(roles::remove),
        )
        .route("/guilds/{guild_id}/roles", get(guilds::roles).post(roles::create))
        .route(
            "/guilds/{guild_id}/roles/{role_id}",
            axum::routing::patch(roles::update).delete(roles::delete),
        )
        .route("/guilds/{guild_id}/members/@me", axum::routing::patch(roles::update_me))
        .route(
            "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
            put(roles::give).delete(roles::take),
        )
        .route("/invites/{code}", get(invites::get).delete(invites::delete))
        .route("/channels/{channel_id}/invites", post(invites::create))
        .route("/guilds/{guild_id}/threads/active", get(threads::active))
        .route("/guilds/{guild_id}/messages/search", get(guilds::search))
        .route("/channels/{channel_id}/messages/search", get(guilds::search_channel))
        .route(
            "/channels/{channel_id}",
            get(channels::get).patch(channels::update).delete(channels::delete),
        )
        .route("/channels/{channel_id}/typing", post(channels::typing))
        .route(
            "/channels/{channel_id}/webhooks",
            get(webhooks::list_channel).post(webhooks::create),
        )
        .route("/guilds/{guild_id}/webhooks", get(webhooks::list_guild))
        .route(
            "/guilds/{guild_id}/emojis",
            get(expressions::list_emojis).post(expressions::create_emoji),
        )
        .route(
            "/guilds/{guild_id}/emojis/{emoji_id}",
            get(expressions::get_emoji)
                .patch(expressions::update_emoji)
                .delete(expressions::delete_emoji),
        )
        .route(
            "/guilds/{guild_id}/stickers",
            get(expressions::list_stickers)
                .post(expressions::create_sticker)
                .layer(uploads()),
        )
        .route(
            "/guilds/{guild_id}/stickers/{sticker_id}",
            get(expressions::get_sticker)
                .patch(expressions::update_sticker)
                .delete(expressions::delete_sticker),
        )
        .route("/stickers/{sticker_id}", get(expressions::sticker))
        .route(
            "/guilds/{guild_id}/soundboard-sounds",
            get(expressions::list_sounds).post(expressions::create_sound),
        )
        .route(
            "/guilds/{guild_id}/soundboard-sounds/{sound_id}",
            get(expressions::get_sound)
                .patch(expressions::update_sound)
                .delete(expressions::delete_sound),
        )
        .route(
            "/channels/{channel_id}/send-soundboard-sound",
            post(expressions::send_sound),
        )
        .route(
            "/applications/{application_id}/commands",
            get(commands::list).post(commands::create).put(commands::overwrite),
        )
        .route(
            "/applications/{application_id}/commands/{command_id}",
            get(commands::get).patch(commands::update).delete(commands::delete),
        )
        .route(
            "/applications/{application_id}/guilds/{guild_id}/commands",
            get(commands::list_guild)
                .post(commands::create_guild)
                .put(commands::overwrite_guild),
        )
        .route(
            "/applications/{application_id}/guilds/{guild_id}/commands/permissions",
            get(commands::permissions),
        )
        .route(
            "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}",
            get(commands::get_guild)
                .patch(commands::update_guild)
                .delete(commands::delete_guild),
        )
        .route(
            "/guilds/{guild_id}/application-command-index",
            get(commands::index_guild),
        )
        .route(
            "/channels/{channel_id}/application-command-index",
            get(commands::index_channel),
        )
        .route(
            "/webhooks/{webhook_id}",
            get(webhooks::get).patch(webhooks::update).delete(webhooks::delete),
        )
        .route(
            "/webhooks/{webhook_id}/{token}",
            get(webhooks::get_with_token)
                .patch(webhooks::update_with_token)
                .delete(webhooks::delete_with_token)
                .post(webhooks::execute)
                .layer(uploads()),
        )
        .route(
            "/webhooks/{webhook_id}/{token}/messages/{message_id}",
            get(interactions::message)
                .patch(interactions::edit)
                .delete(interactions::delete)
                .layer(uploads()),
        )
        .route("/interactions", post(interactions::invoke))
        .route(
            "/interactions/{interaction_id}/{token}/callback",
            post(interactions::callback),
        )
        .route("/webhooks/{webhook_id}/{token}/slack", post(webhooks::execute_slack))
        .route("/webhooks/{webhook_id}/{token}/github", post(webhooks::execute_github))
        .route("/channels/{channel_id}/music", get(music::get).post(music::act))
        .route(
            "/channels/{channel_id}/messages",
            get(messages::list).post(messages::create).layer(uploads()),
        )
        .route(
            "/channels/{channel_id}/messages/bulk-delete",
            post(messages::bulk_delete),
        )
        .route("/channels/{channel_id}/messages/pins", get(messages::pins))
        .route(
            "/channels/{channel_id}/messages/pins/{message_id}",
            put(messages::pin).delete(messages::unpin),
        )
        .route("/channels/{channel_id}/pins", get(messages::pins_legacy))
        .route(
            "/channels/{channel_id}/pins/{message_id}",
            put(messages::pin).delete(messages::unpin),
        )
        .route(
            "/channels/{channel_id}/messages/{message_id}",
            get(messages::get).patch(messages::edit).delete(messages::delete),
        )
        .route(
            "/channels/{channel_id}/messages/{message_id}/reactions",
            axum::routing::delete(reactions::clear_all),
        )
        .route(
            "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}",
            get(reactions::list).delete(reactions::clear_emoji),
        )
        .route(
            "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
            put(reactions::add).delete(reactions::remove_own),
        )
        .route(
            "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}",
            axum::routing::delete(reactions::remove_user),
        )
        .route(
            "/channels/{channel_id}/messages/{message_id}/threads",
            post(threads::start_from_message),
        )
        .route("/channels/{channel_id}/messages/{message_id}/ack", post(messages::ack))
        .route("/users/@me/read-states", get(messages::read_states))
        .route("/channels/{channel_id}/threads", post(threads::start))
        .route(
            "/channels/{channel_id}/threads/archived/public",
            get(threads::archived_public),
        )
        .route("/channels/{channel_id}/thread-members", get(threads::members))
        .route(
            "/channels/{channel_id}/thread-members/@me",
            put(threads::join).delete(threads::leave),
        )
        .route(
            "/channels/{channel_id}/thread-members/{user_id}",
            put(threads::add_member).delete(threads::remove_member),
        )
        .fallback(unknown_route)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::ratelimit::limit,
        ))
}

/// `204 No Content`.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// A JSON response (a wire object, or a `Value` for the shapes still built by hand).
pub fn json(value: impl serde::Serialize) -> Response {
    Json(value).into_response()
}

/// `POST /auth/logout`: ends the current session (Discord's path). Cookie-authenticated, so CSRF-checked.
async fn logout(State(state): State<AppState>, client: Client, auth: Authenticated) -> Result<Response, ApiError> {
    if let Some((_, token)) = auth.session() {
        state.accounts.logout(token).await?;
    }
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, cookies::clear_session(client.https));
    Ok((StatusCode::NO_CONTENT, headers).into_response())
}

/// The body limit of routes that take uploads: the current upload limit (the admin panel can change it) plus
/// room for the multipart framing and the JSON payload.
async fn upload_limit(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let max = state.settings.get().max_upload_bytes.saturating_mul(11) / 10 + 64 * 1024;
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > max) {
        return ApiError::TooLarge.into_response();
    }
    let (parts, body) = request.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, max));
    next.run(axum::extract::Request::from_parts(parts, body)).await
}

async fn unknown_route() -> ApiError {
    ApiError::NotFound(0, "404: Not Found")
}

/// `GET /soundboard-default-sounds`: no default sounds (an empty list, not a 404).
async fn soundboard_default_sounds(_auth: Authenticated) -> Json<Vec<Value>> {
    Json(Vec::new())
}

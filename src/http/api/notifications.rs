//! Notifications: Web Push subscriptions for this browser session (`/users/@me/push`, spot's own routes: the
//! VAPID key to subscribe with, subscribe, unsubscribe) and Discord's notification settings
//! (`PATCH /users/@me/guilds/{guild_id}/settings`, `@me` for DMs).

use axum::extract::State;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::json;

use super::{json, no_content};
use crate::app::AppState;
use crate::chat::notifications::SettingsInput;
use crate::http::auth::Authenticated;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, ApiPath};
use crate::store::{PushSubscription, Snowflake};

/// A browser's `PushSubscription.toJSON()`.
#[derive(Debug, Deserialize)]
pub struct SubscriptionInput {
    endpoint: String,
    keys: SubscriptionKeys,
}

/// Its keys, base64url.
#[derive(Debug, Deserialize)]
pub struct SubscriptionKeys {
    p256dh: String,
    auth: String,
}

fn session_hash(auth: &Authenticated) -> Result<[u8; 32], ApiError> {
    auth.session()
        .map(|(session, _)| session.token_hash)
        .ok_or(ApiError::Forbidden(
            "push notifications belong to a browser session, not a bot",
        ))
}

fn key(field: &str, text: &str, len: usize) -> Result<Vec<u8>, ApiError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| ApiError::Invalid(field.to_owned(), "Must be base64url".to_owned()))?;
    if bytes.len() != len {
        return Err(ApiError::Invalid(field.to_owned(), format!("Must be {len} bytes")));
    }
    Ok(bytes)
}

/// `GET /users/@me/push`: the key to subscribe with, and whether this session has a subscription.
pub async fn state(State(state): State<AppState>, auth: Authenticated) -> Result<Response, ApiError> {
    let hash = session_hash(&auth)?;
    let subscribed = state.store.push_session_subscribed(hash).await?;
    Ok(json(json!({
        "public_key": state.push.public_key(),
        "subscribed": subscribed,
    })))
}

/// `POST /users/@me/push`: stores this session's subscription (an https endpoint on a public address).
pub async fn subscribe(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(input): ApiJson<SubscriptionInput>,
) -> Result<Response, ApiError> {
    let hash = session_hash(&auth)?;
    if input.endpoint.len() > 2048 {
        return Err(ApiError::Invalid("endpoint".to_owned(), "Too long".to_owned()));
    }
    state
        .push
        .check_endpoint(&input.endpoint)
        .map_err(|why| ApiError::Invalid("endpoint".to_owned(), why))?;
    let p256dh = key("keys.p256dh", &input.keys.p256dh, 65)?;
    if web_push_native::p256::PublicKey::from_sec1_bytes(&p256dh).is_err() {
        return Err(ApiError::Invalid(
            "keys.p256dh".to_owned(),
            "Not a P-256 public key".to_owned(),
        ));
    }
    let auth_secret = key("keys.auth", &input.keys.auth, 16)?;
    let subscription = PushSubscription {
        endpoint: input.endpoint,
        user_id: auth.user.id,
        p256dh,
        auth: auth_secret,
        created_at: state.clock.now_ms(),
    };
    state.store.push_subscribe(hash, subscription).await?;
    Ok(no_content())
}

/// `DELETE /users/@me/push`: this session gets no more pushes.
pub async fn unsubscribe(State(state): State<AppState>, auth: Authenticated) -> Result<Response, ApiError> {
    let hash = session_hash(&auth)?;
    state.store.push_unsubscribe_session(hash).await?;
    Ok(no_content())
}

/// `PATCH /users/@me/guilds/{guild_id}/settings` (`@me`: DMs and group DMs).
pub async fn update_settings(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild): ApiPath<String>,
    ApiJson(input): ApiJson<SettingsInput>,
) -> Result<Response, ApiError> {
    let guild_id: Option<Snowflake> = if guild == "@me" {
        None
    } else {
        Some(guild.parse().map_err(|_| ApiError::NotFound(10004, "Unknown Guild"))?)
    };
    Ok(json(
        state
            .chat
            .update_notification_settings(&auth.user, guild_id, input)
            .await?,
    ))
}

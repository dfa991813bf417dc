//! `/users/@me/sessions…`: the web client's list of the user's login sessions, and logging some of them out.
//! Sessions are named by the hex SHA-256 of their token (what the database keeps), never by the token.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::json;
use crate::app::AppState;
use crate::clock::iso8601;
use crate::http::auth::Authenticated;
use crate::http::error::ApiError;
use crate::http::extract::ApiJson;

/// `GET /users/@me/sessions`: newest first, the caller's own marked `current`. Bots have none.
pub async fn list(State(state): State<AppState>, auth: Authenticated) -> Result<Response, ApiError> {
    let current = auth.session().map(|(session, _)| session.token_hash);
    let sessions = if auth.user.is_bot {
        Vec::new()
    } else {
        state.accounts.sessions(auth.user.id).await?
    };
    let list: Vec<Value> = sessions
        .iter()
        .map(|s| {
            json!({
                "id_hash": hex::encode(s.token_hash),
                "current": Some(s.token_hash) == current,
                "created_at": iso8601(s.created_at),
                "last_used_at": iso8601(s.last_seen_at),
                "ip": s.ip,
                "user_agent": s.user_agent,
            })
        })
        .collect();
    Ok(json(Value::Array(list)))
}

/// The body of `POST /users/@me/sessions/logout`.
#[derive(Deserialize)]
pub struct LogoutSessions {
    /// `id_hash`es from the list.
    id_hashes: Vec<String>,
}

/// `POST /users/@me/sessions/logout`: ends the named sessions of the caller (not the current one: that is
/// `POST /auth/logout`). Returns how many ended.
pub async fn logout(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(body): ApiJson<LogoutSessions>,
) -> Result<Response, ApiError> {
    if body.id_hashes.len() > 1000 {
        return Err(ApiError::invalid("id_hashes", "Must be 1000 or fewer in length."));
    }
    let current = auth.session().map(|(session, _)| session.token_hash);
    let mut hashes = Vec::with_capacity(body.id_hashes.len());
    for text in &body.id_hashes {
        let hash: [u8; 32] = hex::decode(text)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| ApiError::invalid("id_hashes", "Each must be an id_hash from the session list."))?;
        if Some(hash) != current {
            hashes.push(hash);
        }
    }
    let ended = state.accounts.end_sessions(auth.user.id, &hashes).await?;
    Ok(json(json!({"ended": ended})))
}

//! `GET /gateway` and `GET /gateway/bot`: where the WebSocket is.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::json;

use super::json;
use crate::app::AppState;
use crate::http::auth::Authenticated;
use crate::http::client::Client;

/// The gateway's WebSocket URL as seen by this client: `public_url` if set, else the request's host.
pub fn gateway_url(state: &AppState, headers: &HeaderMap, client: &Client) -> String {
    let public = state.config.server.public_url.trim_end_matches('/');
    if !public.is_empty() {
        let ws = public.replacen("https://", "wss://", 1).replacen("http://", "ws://", 1);
        return format!("{ws}/gateway");
    }
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if client.https { "wss" } else { "ws" };
    format!("{scheme}://{host}/gateway")
}

/// `GET /gateway`.
pub async fn gateway(State(state): State<AppState>, headers: HeaderMap, client: Client) -> Response {
    json(json!({"url": gateway_url(&state, &headers, &client)}))
}

/// `GET /gateway/bot`.
pub async fn gateway_bot(
    State(state): State<AppState>,
    auth: Authenticated,
    headers: HeaderMap,
    client: Client,
) -> Response {
    let limit = state.gateway.session_starts.status(auth.user.id);
    json(json!({
        "url": gateway_url(&state, &headers, &client),
        "shards": 1,
        "session_start_limit": {
            "total": limit.total,
            "remaining": limit.remaining,
            "reset_after": limit.reset_after.as_millis() as u64,
            "max_concurrency": 1,
        },
    }))
}

//! The Discord Gateway v10: WebSocket sessions (identify, heartbeat, resume, intents), and the hub every event
//! is published to. Only this module knows the gateway wire format (opcodes, sequence numbers, compression).
//!
//! - [`hub`] — where events are published once; [`fanout`] — the few tasks that deliver them to every session.
//! - [`session`] — a session's state, shared by the fan-out and its owner (its connection, or a waiting task
//!   while detached so clients can RESUME); [`sessions`] — the registry.
//! - [`connection`] — one WebSocket: HELLO, heartbeats, commands, close codes; IDENTIFY and RESUME in
//!   `identify`, other commands in `commands`. [`socket`] — the handshake and the socket under it;
//!   [`outbox`] — every byte a connection sends, in order.
//! - [`filter`] — which events a session receives (audience, intents, permissions).
//! - [`presence`] — who is online.
//! - [`payload`] — opcodes, close codes, frames; [`compress`] — zlib-stream.

mod commands;
pub mod compress;
pub mod connection;
pub mod fanout;
pub mod filter;
pub mod hub;
mod identify;
pub mod outbox;
pub mod payload;
pub mod presence;
pub mod session;
pub mod sessions;
pub mod shutdown;
pub mod socket;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::app::AppState;
use crate::http::auth;
use crate::http::client::Client;

/// The gateway URL's query string.
#[derive(Debug, Deserialize)]
pub struct Params {
    /// API version; only 10 is served.
    v: Option<String>,
    /// Only `json`.
    encoding: Option<String>,
    /// `zlib-stream` is supported; other values get plain text frames.
    compress: Option<String>,
}

/// `GET /gateway` with a WebSocket upgrade.
pub async fn connect(
    State(state): State<AppState>,
    Query(params): Query<Params>,
    headers: HeaderMap,
    client: Client,
    handshake: socket::Handshake,
) -> Response {
    if crate::http::csrf::is_cross_site(&headers, &state) {
        return (StatusCode::FORBIDDEN, "cross-site WebSocket refused\n").into_response();
    }
    let cookie_user = match auth::from_cookie(&state, &headers).await {
        Ok(found) => found.map(|a| a.user),
        Err(e) => return e.into_response(),
    };
    let bad_version = params.v.as_deref().is_some_and(|v| v != "10");
    let bad_encoding = params.encoding.as_deref().is_some_and(|e| e != "json");
    let upgrade = connection::Upgrade {
        cookie_user,
        zlib: params.compress.as_deref() == Some("zlib-stream"),
        resume_url: crate::http::api::gateway_url(&state, &headers, &client),
    };
    handshake.accept(move |upgraded| async move {
        if bad_version || bad_encoding {
            let code = if bad_version {
                payload::Close::InvalidApiVersion
            } else {
                payload::Close::DecodeError
            };
            let outbox = outbox::Outbox::new(upgraded.socket, false, 1);
            outbox
                .close(code as u16, code.reason(), std::time::Duration::from_secs(5))
                .await;
            return;
        }
        connection::run(upgraded, state, upgrade).await;
    })
}

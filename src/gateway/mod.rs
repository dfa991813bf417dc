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
//! - [`presence`] — who is online; [`revocations`] — ending the sessions of credentials that ended.
//! - [`payload`] — opcodes, close codes, frames; [`compress`] — zlib-stream.

mod commands;
pub mod compress;
pub mod connection;
pub mod fanout;
pub mod filter;
mod identify;
pub mod limits;
pub mod outbox;
pub mod payload;
pub mod presence;
pub mod revocations;
pub mod session;
pub mod sessions;
pub mod shutdown;
pub mod socket;
pub mod starts;

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
    let admission = match state.gateway_limits.admit(client.ip) {
        Ok(admission) => admission,
        Err(refusal) => {
            let (status, why) = match refusal {
                limits::Refusal::TooManyFromAddress => (
                    StatusCode::TOO_MANY_REQUESTS,
                    "too many gateway connections from this address have not identified\n",
                ),
                limits::Refusal::Full => (StatusCode::SERVICE_UNAVAILABLE, "the gateway is full\n"),
            };
            tracing::warn!(ip = %client.ip, ?refusal, "gateway connection refused");
            return (status, [(axum::http::header::RETRY_AFTER, "5")], why).into_response();
        }
    };
    let (cookie_user, cookie_session) = match auth::from_cookie(&state, &headers).await {
        Ok(Some(found)) => {
            let session = found.session().map(|(session, _)| session.token_hash);
            (Some(found.user), session)
        }
        Ok(None) => (None, None),
        Err(e) => return e.into_response(),
    };
    let bad_version = params.v.as_deref().is_some_and(|v| v != "10");
    let bad_encoding = params.encoding.as_deref().is_some_and(|e| e != "json");
    let upgrade = connection::Upgrade {
        admission: Some(admission),
        cookie_user,
        cookie_session,
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

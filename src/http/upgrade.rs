//! `GET /gateway` with a WebSocket upgrade: the checks at the door (same-site origin, connection limits, the
//! browser's session cookie, version and encoding), then the socket goes to the gateway with its handles.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::auth;
use super::client::Client;
use crate::app::AppState;
use crate::gateway::{compress, connection, limits, outbox, payload, socket};

/// The gateway URL's query string.
#[derive(Debug, Deserialize)]
pub struct Params {
    /// API version; only 10 is served.
    v: Option<String>,
    /// Only `json`.
    encoding: Option<String>,
    /// `zlib-stream` and `zstd-stream` are supported; other values get plain text frames.
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
    if super::csrf::is_cross_site(&headers, &state) {
        return (StatusCode::FORBIDDEN, "cross-site WebSocket refused\n").into_response();
    }
    let admission = match state.gateway.gateway_limits.admit(client.ip) {
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
        compress: compress::Kind::from_query(params.compress.as_deref()),
        resume_url: super::api::gateway_url(&state, &headers, &client),
    };
    handshake.accept(move |upgraded| async move {
        if bad_version || bad_encoding {
            let code = if bad_version {
                payload::Close::InvalidApiVersion
            } else {
                payload::Close::DecodeError
            };
            let outbox = outbox::Outbox::new(upgraded.socket, None, 1);
            outbox
                .close(code as u16, code.reason(), std::time::Duration::from_secs(5))
                .await;
            return;
        }
        connection::run(upgraded, state.gateway.clone(), upgrade).await;
    })
}

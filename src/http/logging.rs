//! One log line per request, with a request id that is also returned in `X-Request-Id`.
//!
//! Only the method, the path (without the query string), the status and the time are logged: never headers,
//! bodies or query strings, which is where passwords, tokens and cookies travel.

use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::app::AppState;

/// Middleware: assigns a request id, logs one line when the response is ready.
pub async fn log_request(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let id = format!("{:08x}", state.request_ids.fetch_add(1, Ordering::Relaxed) + 1);
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let span = tracing::info_span!("request", id = %id);
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| tracing::info!(target: "spot::http", %method, path = %redact(&path), status, ms = format_args!("{ms:.1}"), "request"));
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// Hides secrets that live in paths: invite codes.
fn redact(path: &str) -> String {
    match path.strip_prefix("/invite/") {
        Some(code) if !code.is_empty() => {
            format!("/invite/{}…", code.chars().take(3).collect::<String>())
        }
        _ => path.to_owned(),
    }
}

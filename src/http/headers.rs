//! Security headers on every response: a CSP that allows no inline script and no framing, `nosniff`, a strict
//! referrer policy (invite links must not leak to other sites), and no framing by older browsers either.

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::app::AppState;

/// The Content-Security-Policy: only our own scripts and styles, nothing inline, no plugins, no framing. Images
/// only from spot itself (link previews go through its proxy). Audio and video may come from other sites: a
/// link preview's video plays from the linked site, but only after the reader presses "Play", and media cannot
/// run script.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; \
media-src 'self' blob: http: https:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
form-action 'self'; frame-ancestors 'none'";

/// Middleware adding the security headers (without overwriting ones a handler chose).
pub async fn security_headers(State(_state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let fixed = [
        ("content-security-policy", CSP),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("cross-origin-opener-policy", "same-origin"),
    ];
    for (name, value) in fixed {
        if !headers.contains_key(name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}

//! Security headers on every response: a CSP that allows no inline script and no framing, `nosniff`, a strict
//! referrer policy (invite links must not leak to other sites), and no framing by older browsers either.

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use std::borrow::Cow;

use crate::config::{Config, VoiceBackend};

/// The Content-Security-Policy: only our own scripts and styles, nothing inline, no plugins, no framing. Images
/// only from spot itself (link previews go through its proxy). Audio and video may come from other sites: a
/// link preview's video plays from the linked site, but only after the reader presses "Play", and media cannot
/// run script.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; \
media-src 'self' blob: http: https:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
form-action 'self'; frame-ancestors 'none'";

/// The CSP for this configuration: [`CSP`], and with the LiveKit voice backend also the LiveKit server's origin
/// (its WebSocket, and the HTTP requests livekit-client makes to the same host), which browsers must reach.
pub fn csp(config: &Config) -> Cow<'static, str> {
    if config.voice.backend != VoiceBackend::Livekit {
        return Cow::Borrowed(CSP);
    }
    let Ok(url) = reqwest::Url::parse(&config.voice.livekit_url) else {
        return Cow::Borrowed(CSP);
    };
    let (ws, http) = match url.scheme() {
        "wss" | "https" => ("wss", "https"),
        _ => ("ws", "http"),
    };
    let host = url.host_str().unwrap_or_default();
    let authority = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    Cow::Owned(CSP.replace(
        "connect-src 'self'",
        &format!("connect-src 'self' {ws}://{authority} {http}://{authority}"),
    ))
}

/// The CSP header for this configuration, made once when the router is built.
pub fn csp_header(config: &Config) -> HeaderValue {
    HeaderValue::from_str(&csp(config)).unwrap_or(HeaderValue::from_static(CSP))
}

/// Middleware adding the security headers (without overwriting ones a handler chose); its state is
/// [`csp_header`].
pub async fn security_headers(State(csp): State<HeaderValue>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key("content-security-policy") {
        headers.insert("content-security-policy", csp);
    }
    let fixed = [
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

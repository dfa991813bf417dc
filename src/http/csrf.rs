//! CSRF protection for every state-changing request authenticated by cookie.
//!
//! A request whose method is not GET, HEAD or OPTIONS, and that carries no `Authorization` header (bots are not
//! cookie-authenticated), must:
//! 1. not come from another site: `Sec-Fetch-Site: cross-site` or an `Origin` whose host is not ours is refused;
//! 2. carry the CSRF token, in an `X-CSRF-Token` header (scripts), a `csrf_token` form field (HTML forms), or
//!    for file-upload forms (`multipart/form-data`, whose bodies are not read here) a `csrf_token` query
//!    parameter in the form's action URL.
//!
//! With a session cookie, the expected token is an HMAC of the session under the instance secret
//! ([`crate::accounts::token::csrf_for_session`]). Before login (the login and invite forms) it is the random
//! value of the `spot_csrf` cookie (double submit). Either way the `spot_csrf` cookie holds the current token,
//! so the web client reads it from there.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::cookies;
use super::error::ApiError;
use crate::accounts::SessionToken;
use crate::accounts::token::{csrf_for_session, random_token, secrets_equal};
use crate::app::AppState;

/// Name of the header scripts send the token in.
pub const HEADER: &str = "x-csrf-token";
/// Name of the hidden form field forms send the token in.
pub const FIELD: &str = "csrf_token";

/// The token a page should embed in its forms, and a `Set-Cookie` for `spot_csrf` when the browser lacks one.
pub fn page_token(state: &AppState, headers: &HeaderMap, secure: bool) -> (String, Option<HeaderValue>) {
    if let Some(expected) = expected_token(state, headers) {
        let cookie_matches = cookies::get(headers, cookies::CSRF).is_some_and(|c| c == expected);
        let refresh = (!cookie_matches).then(|| cookies::csrf(&expected, secure));
        return (expected, refresh);
    }
    let fresh = random_token();
    let cookie = cookies::csrf(&fresh, secure);
    (fresh, Some(cookie))
}

/// The token this request must present, if it can present one at all.
fn expected_token(state: &AppState, headers: &HeaderMap) -> Option<String> {
    match cookies::get(headers, cookies::SESSION).and_then(SessionToken::parse) {
        Some(session) => Some(csrf_for_session(&state.config.security.secret, &session.hash())),
        None => cookies::get(headers, cookies::CSRF)
            .filter(|value| value.len() >= 32)
            .map(str::to_owned),
    }
}

/// Routes whose credential is a secret in the path (a webhook's token, an interaction's token): no cookie
/// authenticates them, so there is nothing for another site to borrow.
fn secret_in_path(path: &str) -> bool {
    let rest = path
        .strip_prefix("/api/v10")
        .or_else(|| path.strip_prefix("/api/v9"))
        .or_else(|| path.strip_prefix("/api"))
        .unwrap_or("");
    let parts: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
    matches!(
        parts.as_slice(),
        ["webhooks", _id, _token, ..] | ["interactions", _id, _token, "callback"]
    )
}

/// Middleware: refuses unsafe cookie-authenticated requests without a valid token or from another site.
pub async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || request.headers().contains_key(header::AUTHORIZATION) || secret_in_path(request.uri().path()) {
        return next.run(request).await;
    }
    if is_cross_site(request.headers(), &state) {
        return refuse(&request, "cross-site request refused");
    }
    let Some(expected) = expected_token(&state, request.headers()) else {
        return refuse(&request, "CSRF token missing; reload the page");
    };
    if let Some(given) = request.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        if secrets_equal(given, &expected) {
            return next.run(request).await;
        }
        return refuse(&request, "CSRF token invalid; reload the page");
    }
    if is_multipart(request.headers()) {
        // A file-upload form (the admin panel's icon): its body is not read here, so the form carries the token
        // in its action URL. Query strings are never logged and the Referrer-Policy keeps them on this site.
        let given = request
            .uri()
            .query()
            .and_then(|q| form_urlencoded_field(q.as_bytes(), FIELD));
        return match given {
            Some(given) if secrets_equal(&given, &expected) => next.run(request).await,
            _ => refuse(&request, "CSRF token missing or invalid; reload the page"),
        };
    }
    if !is_form(request.headers()) {
        return refuse(&request, "CSRF token missing; send the X-CSRF-Token header");
    }
    // An HTML form: the token is a field of the body, so read the body (within the size limit) and put it back.
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, state.config.server.max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n").into_response();
        }
    };
    let given = form_urlencoded_field(&bytes, FIELD);
    let request = Request::from_parts(parts, Body::from(bytes));
    match given {
        Some(given) if secrets_equal(&given, &expected) => next.run(request).await,
        _ => refuse(&request, "CSRF token missing or invalid; reload the page"),
    }
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    pairs.into_iter().find(|(key, _)| key == name).map(|(_, value)| value)
}

/// A request is cross-site when the browser says so, or when its `Origin` names a host other than the one it
/// was sent to (or the configured public URL's).
pub fn is_cross_site(headers: &HeaderMap, state: &AppState) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if fetch_site == Some("cross-site") {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let origin_host = origin.split_once("://").map(|(_, rest)| rest.trim_end_matches('/'));
    let Some(origin_host) = origin_host else {
        return true; // `null` or garbage
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let public_host = state
        .config
        .server
        .public_url
        .split_once("://")
        .map(|(_, rest)| rest.split('/').next().unwrap_or(""));
    !(host == Some(origin_host) || public_host == Some(origin_host))
}

fn refuse(request: &Request, why: &'static str) -> Response {
    if request.uri().path().starts_with("/api/") {
        ApiError::Forbidden(why).into_response()
    } else {
        super::page::error_page(StatusCode::FORBIDDEN, why)
    }
}

//! The two cookies spot sets, and reading cookies from requests.
//!
//! - `spot_session`: the session token. `HttpOnly; SameSite=Lax; Path=/`, plus `Secure` under TLS.
//! - `spot_csrf`: the CSRF token, readable by the page's script so it can send `X-CSRF-Token`.
//! - `spot_oidc`: a random value binding single sign-ons in progress to this browser. `HttpOnly; SameSite=Lax`,
//!   so it comes along on the provider's top-level redirect back to the callback.

use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue};

use crate::accounts::SessionToken;
use crate::accounts::token::csrf_for_session;
use crate::config::SecurityConfig;

/// The session cookie's name.
pub const SESSION: &str = "spot_session";
/// The CSRF cookie's name.
pub const CSRF: &str = "spot_csrf";
/// The cookie that ties a single sign-on in progress to the browser that started it.
pub const OIDC: &str = "spot_oidc";

/// The value of the first cookie called `name`.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all("cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"'))
}

/// A `Set-Cookie` value. `max_age` in seconds; `None` makes a browser-session cookie, `Some(0)` deletes.
pub fn set(name: &str, value: &str, max_age: Option<i64>, http_only: bool, secure: bool) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path=/; SameSite=Lax");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if http_only {
        cookie.push_str("; HttpOnly");
    }
    if secure {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie).expect("cookie names and values are ASCII tokens")
}

/// The session cookie carrying `token` for `ttl_secs`.
pub fn session(token: &str, ttl_secs: i64, secure: bool) -> HeaderValue {
    set(SESSION, token, Some(ttl_secs), true, secure)
}

/// The CSRF cookie carrying `token`.
pub fn csrf(token: &str, secure: bool) -> HeaderValue {
    set(CSRF, token, None, false, secure)
}

/// Both cookies that start a session: the session token and its CSRF token (an HMAC of the token's hash under
/// the instance secret), for logging in and for the new session a password change opens.
pub fn start_session(security: &SecurityConfig, token: &SessionToken, secure: bool) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let ttl = security.session_ttl.0.as_secs() as i64;
    headers.append(SET_COOKIE, session(token.as_str(), ttl, secure));
    let csrf_token = csrf_for_session(&security.secret, &token.hash());
    headers.append(SET_COOKIE, csrf(&csrf_token, secure));
    headers
}

/// Deletes the session cookie.
pub fn clear_session(secure: bool) -> HeaderValue {
    set(SESSION, "", Some(0), true, secure)
}

/// The single sign-on binding cookie carrying `value` for `ttl_secs`.
pub fn oidc_binding(value: &str, ttl_secs: i64, secure: bool) -> HeaderValue {
    set(OIDC, value, Some(ttl_secs), true, secure)
}

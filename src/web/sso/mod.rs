//! Single sign-on pages: the redirect to a provider ([`flow::start`], and [`settings::link`] for linking),
//! the callback ([`flow::callback`]), the settings section where people link and unlink providers
//! ([`settings`]), and the one mapping of SSO errors to pages ([`errors`]).
//!
//! Starting a sign-in is a POST with the CSRF token (from the login, invite and settings pages), answered with
//! a small page that moves on to the provider: the pages' CSP says `form-action 'self'`, which browsers also
//! apply to a redirect answering a form, so a 303 to the provider would be blocked. The callback is a GET (a
//! top-level navigation from the provider), so the cookies it needs are `SameSite=Lax`.

pub mod errors;
pub mod flow;
pub mod settings;

use axum::http::HeaderMap;

use crate::app::AppState;
use crate::http::client::Client;

/// A provider's button on the login, invite and settings pages.
pub struct ProviderButton {
    /// Its name (in URLs).
    pub name: String,
    /// The name people know it by (the button says "Sign in with" it).
    pub label: String,
    /// Its icon, if any (a data: URL or a path here).
    pub icon: String,
}

/// The configured providers' buttons.
pub fn buttons(state: &AppState) -> Vec<ProviderButton> {
    state
        .oidc
        .providers()
        .map(|p| ProviderButton {
            name: p.name.clone(),
            label: p.label(),
            icon: p.config.icon.clone(),
        })
        .collect()
}

/// This instance's base URL: `server.public_url` if set, else the request's scheme and `Host`. A forged
/// `Host` only produces a redirect URI the provider does not have registered.
pub fn public_base(state: &AppState, headers: &HeaderMap, client: &Client) -> String {
    let public = state.config.server.public_url.trim_end_matches('/');
    if !public.is_empty() {
        return public.to_owned();
    }
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if client.https { "https" } else { "http" };
    format!("{scheme}://{host}")
}

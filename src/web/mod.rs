//! The browser-facing side: embedded static assets ([`assets`], including the web client bundle) and
//! server-rendered pages ([`pages`] for login, logout and the app shell, [`invite`] for sign-up through an
//! invite, [`sso`] for single sign-on, [`admin`] for the admin panel). Pages are askama templates in
//! `templates/`; they contain no inline script, as the CSP demands.

pub mod admin;
pub mod assets;
pub mod invite;
pub mod pages;
pub mod pwa;
pub mod sso;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;

/// The page and asset routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::home))
        .route("/channels/{*rest}", get(pages::home))
        .route("/login", get(pages::login_form).post(pages::login_submit))
        .route("/logout", post(pages::logout))
        .route("/logout/everywhere", post(pages::logout_everywhere))
        .route("/invite/{code}", get(invite::form).post(invite::submit))
        .route("/auth/oidc/{provider}/start", post(sso::flow::start))
        .route("/auth/oidc/{provider}/callback", get(sso::flow::callback))
        .route("/settings/sso", get(sso::settings::page))
        .route("/settings/sso/{provider}/link", post(sso::settings::link))
        .route("/settings/sso/{provider}/unlink", post(sso::settings::unlink))
        .route("/assets/{*path}", get(assets::serve))
        .route("/manifest.webmanifest", get(pwa::manifest))
        .route("/app-icons/{file}", get(pwa::icon))
        .route("/sw.js", get(pwa::service_worker))
        .merge(admin::routes())
}

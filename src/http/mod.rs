//! HTTP: the axum router and the layers every request passes through.
//!
//! Only this module (and the page handlers of the web face, which build on it) knows HTTP. Layers, outermost first: request id
//! and one log line per request ([`logging`]), security headers ([`headers`]), body size limit, CSRF
//! ([`csrf`]). Errors from the domain are turned into responses in one place, [`error`].

pub mod api;
pub mod auth;
pub mod client;
pub mod cookies;
pub mod covers;
pub mod csrf;
pub mod drain;
pub mod error;
pub mod external;
pub mod extract;
pub mod files;
pub mod headers;
pub mod logging;
pub mod page;
pub mod ratelimit;
pub mod serve;
pub mod upgrade;

use std::future::Future;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::get;
use tokio::net::TcpListener;

use crate::app::AppState;

/// The whole application router: the API, the files and sockets, and `pages` (the web face's routes).
pub fn router(state: AppState, pages: Router<AppState>) -> Router {
    let max_body = state.config.server.max_body_bytes;
    Router::new()
        .route("/healthz", get(healthz))
        .merge(pages)
        .nest("/api/v10", api::routes(&state))
        .nest("/api", api::routes(&state))
        // Clients written for Discord's bare-host gateway URL append `/?v=10&encoding=json` to it (eris, oceanic).
        .route("/gateway", get(upgrade::connect))
        .route("/gateway/", get(upgrade::connect))
        .route("/voice", get(crate::voice::signaling::connect))
        .route(
            "/attachments/{channel_id}/{attachment_id}/{filename}",
            get(files::attachment),
        )
        .route("/avatars/{user_id}/{file}", get(files::avatar))
        .route("/icons/{guild_id}/{file}", get(files::icon))
        .route("/channel-icons/{channel_id}/{file}", get(files::channel_icon))
        .route("/emojis/{file}", get(files::emoji))
        .route("/stickers/{file}", get(files::sticker))
        .route("/soundboard-sounds/{sound_id}", get(files::sound))
        .route("/external/{signature}/{encoded}", get(external::image))
        .route("/music/covers/{track_id}", get(covers::library))
        .route("/music/covers/upload/{channel_id}/{attachment_id}", get(covers::upload))
        .fallback(page::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), csrf::require_token))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(
            headers::csp_header(&state.config),
            headers::security_headers,
        ))
        .layer(compression())
        .layer(middleware::from_fn(drain::drain_unread_body))
        .layer(middleware::from_fn_with_state(state.clone(), logging::log_request))
        .with_state(state)
}

/// gzip or brotli, as `Accept-Encoding` asks, for text (HTML, JS, CSS, JSON, SVG): never for media that is
/// compressed already (images, audio, video, archives), bodies under 32 bytes, or responses that carry their
/// own encoding (the precompressed client bundle).
fn compression() -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate as _};
    let predicate = DefaultPredicate::new()
        .and(NotForContentType::const_new("audio/"))
        .and(NotForContentType::const_new("video/"))
        .and(NotForContentType::const_new("application/zip"))
        .and(NotForContentType::const_new("application/gzip"))
        .and(NotForContentType::const_new("application/octet-stream"));
    tower_http::compression::CompressionLayer::new()
        .gzip(true)
        .br(true)
        .compress_when(predicate)
}

/// Serves `router(state, pages)` on `listener` until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    pages: Router<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve::serve(listener, router(state, pages), shutdown).await
}

/// `GET /healthz`: 200 when the database answers.
async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> Result<&'static str, error::ApiError> {
    state.store.guild_home().await?;
    Ok("ok\n")
}

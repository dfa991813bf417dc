//! The admin panel: server-rendered pages at `/admin/…` that work without the chat client's script.
//!
//! Every handler takes a [`Staff`] (a signed-in, enabled instance admin; anyone else gets a 403 page and
//! strangers the login page), performs one [`crate::admin::Admin`] action, and answers with the page again.
//! Forms carry the session's CSRF token (the CSRF middleware checks it before any handler runs). Success
//! redirects (POST → 303 → GET, with a fixed notice code in the query so nothing user-written is reflected);
//! failure renders the page with the error and status 400.

mod bots;
mod expressions;
mod import;
mod people;
mod settings;
mod space;
mod webhooks;

use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::pages::{error_page, render};
use crate::accounts::token::csrf_for_session;
use crate::admin::AdminError;
use crate::app::AppState;
use crate::http::auth::Authenticated;
use crate::store::User;

/// The admin routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(|| async { Redirect::to("/admin/users") }))
        .route("/admin/users", get(people::users).post(people::create_user))
        .route("/admin/users/{id}", post(people::user_action))
        .route("/admin/invites", get(people::invites).post(people::create_invite))
        .route("/admin/invites/{code}/revoke", post(people::revoke_invite))
        .route("/admin/channels", get(space::channels).post(space::create_channel))
        .route("/admin/channels/{id}", post(space::channel_action))
        .route(
            "/admin/channels/{id}/permissions",
            get(space::permissions).post(space::set_permissions),
        )
        .route("/admin/roles", get(space::roles).post(space::create_role))
        .route("/admin/roles/{id}", post(space::role_action))
        .route("/admin/bots", get(bots::bots).post(bots::create))
        .route("/admin/bots/{id}/rotate", post(bots::rotate))
        .route("/admin/webhooks", get(webhooks::webhooks).post(webhooks::create))
        .route("/admin/webhooks/{id}/delete", post(webhooks::delete))
        .route(
            "/admin/import",
            get(import::import_page)
                .post(import::upload)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/admin/import/people/{id}/claim", post(import::claim))
        .route("/admin/import/people/{id}/invite", post(import::invite))
        .route("/admin/expressions", get(expressions::expressions))
        .route("/admin/expressions/emoji", post(expressions::add_emoji))
        .route("/admin/expressions/sticker", post(expressions::add_sticker))
        .route("/admin/expressions/sound", post(expressions::add_sound))
        .route("/admin/expressions/{kind}/{id}/delete", post(expressions::delete))
        .route("/admin/settings", get(settings::settings).post(settings::save))
        .route("/admin/settings/reset", post(settings::reset))
        .route("/admin/settings/icon", post(settings::icon))
        .route("/admin/audit", get(settings::audit))
}

/// A signed-in instance admin, with the CSRF token their forms must carry.
pub struct Staff {
    /// The admin.
    pub user: User,
    /// The session's CSRF token.
    pub csrf: String,
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let auth = Option::<Authenticated>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some(auth) = auth else {
            return Err(Redirect::to("/login").into_response());
        };
        let Some((_, token)) = auth.session() else {
            return Err(error_page(
                StatusCode::FORBIDDEN,
                "The admin panel is for signed-in admins.",
            ));
        };
        if !auth.user.is_admin || auth.user.disabled {
            return Err(error_page(
                StatusCode::FORBIDDEN,
                "Only instance admins can open the admin panel.",
            ));
        }
        let csrf = csrf_for_session(&state.config.security.secret, &token.hash());
        Ok(Staff {
            user: auth.user.clone(),
            csrf,
        })
    }
}

/// What every admin page shows around its content.
pub struct Frame {
    /// The instance name.
    pub instance: String,
    /// The admin's name.
    pub username: String,
    /// The CSRF token for forms.
    pub csrf: String,
    /// Which section is open (for the navigation).
    pub section: &'static str,
    /// A success notice.
    pub notice: Option<&'static str>,
    /// An error from the last action.
    pub error: Option<String>,
}

impl Frame {
    fn new(state: &AppState, staff: &Staff, section: &'static str, notice: &Notice) -> Self {
        Self {
            instance: state.settings.get().instance_name,
            username: staff.user.username.clone(),
            csrf: staff.csrf.clone(),
            section,
            notice: notice.text(),
            error: None,
        }
    }

    /// The same frame with an error to show.
    fn failed(mut self, error: &AdminError) -> Self {
        self.error = Some(match error {
            AdminError::Store(e) => {
                tracing::error!(error = %e, "admin action failed");
                "Something went wrong; try again.".to_owned()
            }
            other => other.to_string(),
        });
        self
    }

    /// Whether `name` is the open section (for `aria-current`).
    pub fn is(&self, name: &str) -> bool {
        self.section == name
    }
}

/// The `?done=` query of a page after a successful action: a fixed code, shown as a fixed sentence.
#[derive(Debug, Default, Deserialize)]
pub struct Notice {
    done: Option<String>,
}

impl Notice {
    fn text(&self) -> Option<&'static str> {
        Some(match self.done.as_deref()? {
            "user-created" => "Account created.",
            "user-updated" => "Account updated.",
            "invite-created" => "Invite created.",
            "invite-revoked" => "Invite revoked.",
            "channel-created" => "Channel created.",
            "channel-updated" => "Channel updated.",
            "channel-deleted" => "Channel deleted.",
            "permissions-saved" => "Permissions saved.",
            "role-created" => "Role created.",
            "role-updated" => "Role saved.",
            "role-deleted" => "Role deleted.",
            "settings-saved" => "Settings saved.",
            "settings-reset" => "Settings are back to spot.toml's values.",
            "icon-saved" => "Icon updated.",
            _ => return None,
        })
    }
}

/// A time for admin tables: `2026-11-22 06:54 UTC`.
fn short_time(ms: crate::clock::Millis) -> String {
    let iso = crate::clock::iso8601(ms);
    format!("{} UTC", iso.get(..16).unwrap_or(&iso).replace('T', " "))
}

/// After a successful POST: back to `path` with a notice.
fn done(path: &str, code: &str) -> Response {
    let separator = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{separator}done={code}")).into_response()
}

/// Renders an admin page: 200, or 400 when it shows an error (`failed`).
fn page(template: &impl Template, failed: bool) -> Response {
    let status = if failed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    // Admin pages can show a bot token once; none of them belongs in a cache.
    let mut headers = HeaderMap::new();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    render(status, template, headers)
}

/// A failure that is not the admin's input: logged, shown as a plain error page.
fn broken(error: &AdminError) -> Response {
    tracing::error!(%error, "admin page failed");
    error_page(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong; try again.")
}

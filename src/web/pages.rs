//! Login, logout, the app page and error pages, rendered on the server. The login page shows a button per
//! single sign-on provider and, unless `oidc.password_login` is off, the password form.
//!
//! The app page (`/` and `/channels/…`) is a shell that loads the web client bundle; inside `<noscript>` it
//! also lists the channels and the user's sessions, with log-out buttons, so the page is useful without script.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::accounts::{AccountError, SessionToken};
use crate::app::AppState;
use crate::clock::iso8601;
use crate::http::auth::MaybeUser;
use crate::http::client::Client;
pub use crate::http::page::{error_page, error_page_with_link, not_found, render};
use crate::http::{cookies, csrf};
use crate::store::ChannelKind;
use crate::web::sso::{ProviderButton, buttons, public_base};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    instance: String,
    csrf_token: &'a str,
    username: &'a str,
    error: Option<String>,
    password_login: bool,
    providers: Vec<ProviderButton>,
    invite: Option<&'a str>,
}

impl<'a> LoginPage<'a> {
    fn new(state: &'a AppState, csrf_token: &'a str, username: &'a str, error: Option<String>) -> Self {
        Self {
            instance: state.settings.get().instance_name,
            csrf_token,
            username,
            error,
            password_login: state.config.oidc.password_login,
            providers: buttons(state),
            invite: None,
        }
    }
}

#[derive(Template)]
#[template(path = "logged_out.html")]
struct LoggedOutPage<'a> {
    instance: String,
    label: &'a str,
    end_session: &'a str,
}

#[derive(Template)]
#[template(path = "app.html")]
struct AppPage<'a> {
    bundle: crate::web::assets::Bundle,
    instance: &'a str,
    csrf_token: &'a str,
    username: &'a str,
    is_admin: bool,
    sso: bool,
    space: String,
    channels: Vec<(&'static str, String)>,
    sessions: Vec<SessionRow>,
}

struct SessionRow {
    current: bool,
    since: String,
    ip: String,
    user_agent: String,
}

/// Headers setting the `spot_csrf` cookie when the page's token is new.
pub(super) fn csrf_headers(cookie: Option<HeaderValue>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(cookie) = cookie {
        headers.append(header::SET_COOKIE, cookie);
    }
    headers
}

/// Headers that start a session: the session cookie and its CSRF cookie, then a redirect home.
pub(super) fn start_session(state: &AppState, client: &Client, token: &SessionToken) -> Response {
    let headers = cookies::start_session(&state.config.security, token, client.https);
    (headers, Redirect::to("/")).into_response()
}

/// `GET /login`.
pub async fn login_form(
    State(state): State<AppState>,
    client: Client,
    user: MaybeUser,
    headers: HeaderMap,
) -> Response {
    if user.is_some() {
        return Redirect::to("/").into_response();
    }
    let (token, cookie) = csrf::page_token(&state, &headers, client.https);
    let page = LoginPage::new(&state, &token, "", None);
    render(StatusCode::OK, &page, csrf_headers(cookie))
}

/// The login form's fields (the CSRF field is checked by the middleware).
#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

/// `POST /login`.
pub async fn login_submit(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    if !state.config.oidc.password_login {
        let (token, cookie) = csrf::page_token(&state, &headers, client.https);
        let error = Some("Password login is turned off here: sign in with a provider below.".to_owned());
        let page = LoginPage::new(&state, &token, "", error);
        return render(StatusCode::FORBIDDEN, &page, csrf_headers(cookie));
    }
    let (status, message, retry) = match state
        .accounts
        .login(&form.username, &form.password, &client.info())
        .await
    {
        Ok((token, user)) => {
            tracing::info!(user = %user.username, "login");
            return start_session(&state, &client, &token);
        }
        Err(AccountError::InvalidCredentials) => {
            (StatusCode::UNAUTHORIZED, "Wrong username or password.".to_owned(), None)
        }
        Err(AccountError::RateLimited(wait)) => {
            // Whole seconds, rounded up: waiting this long is always enough.
            let secs = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
            (
                StatusCode::TOO_MANY_REQUESTS,
                format!("Too many attempts. Try again in {secs} seconds."),
                Some(secs),
            )
        }
        Err(other) => {
            tracing::error!(error = %other, "login failed");
            return error_page(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong; try again.");
        }
    };
    let (token, cookie) = csrf::page_token(&state, &headers, client.https);
    let mut out = csrf_headers(cookie);
    if let Some(secs) = retry {
        out.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    let page = LoginPage::new(&state, &token, &form.username, Some(message));
    render(status, &page, out)
}

/// `POST /logout`: ends this browser's session. When the session came through a provider that supports
/// RP-initiated logout, the answer offers to sign out there too.
pub async fn logout(State(state): State<AppState>, client: Client, user: MaybeUser, headers: HeaderMap) -> Response {
    let mut provider = None;
    if let Some((_, token)) = user.as_ref().and_then(|auth| auth.session()) {
        provider = state.store.session_provider(token.hash()).await.ok().flatten();
        if let Err(e) = state.accounts.logout(token).await {
            tracing::error!(error = %e, "logout failed");
            return error_page(StatusCode::INTERNAL_SERVER_ERROR, "Could not log out; try again.");
        }
    }
    let clear = [(header::SET_COOKIE, cookies::clear_session(client.https))];
    if let Some(name) = provider
        && let Ok(found) = state.oidc.provider(&name)
    {
        let back = format!("{}/login", public_base(&state, &headers, &client));
        if let Some(url) = state.oidc.end_session_url(&name, &back).await {
            let page = LoggedOutPage {
                instance: state.settings.get().instance_name,
                label: &found.label(),
                end_session: url.as_str(),
            };
            return (clear, render(StatusCode::OK, &page, HeaderMap::new())).into_response();
        }
    }
    (clear, Redirect::to("/login")).into_response()
}

/// `POST /logout/everywhere`: ends every session of the user.
pub async fn logout_everywhere(State(state): State<AppState>, client: Client, user: MaybeUser) -> Response {
    if let Some(auth) = user
        && let Err(e) = state.accounts.logout_everywhere(auth.user.id).await
    {
        tracing::error!(error = %e, "logout everywhere failed");
        return error_page(StatusCode::INTERNAL_SERVER_ERROR, "Could not log out; try again.");
    }
    (
        [(header::SET_COOKIE, cookies::clear_session(client.https))],
        Redirect::to("/login"),
    )
        .into_response()
}

/// `GET /` and `GET /channels/{guild}/{channel}`: the web client, or a redirect to the login page for strangers.
pub async fn home(State(state): State<AppState>, client: Client, user: MaybeUser, headers: HeaderMap) -> Response {
    let Some(auth) = user else {
        return Redirect::to("/login").into_response();
    };
    let (guild, sessions) = match (
        state.store.guild_home().await,
        state.accounts.sessions(auth.user.id).await,
    ) {
        (Ok(guild), Ok(sessions)) => (guild, sessions),
        (Err(e), _) => return store_failure(&e),
        (_, Err(e)) => return store_failure(&e),
    };
    let (token, cookie) = csrf::page_token(&state, &headers, client.https);
    let (space, channels) = match guild {
        Some(guild) => {
            let channels = guild
                .channels
                .into_iter()
                .map(|c| (if c.kind == ChannelKind::Voice { "🔊" } else { "#" }, c.name))
                .collect();
            (guild.name, channels)
        }
        None => (state.settings.get().instance_name, Vec::new()),
    };
    let sessions = sessions
        .into_iter()
        .map(|s| SessionRow {
            current: auth.session().is_some_and(|(mine, _)| mine.token_hash == s.token_hash),
            since: iso8601(s.created_at),
            ip: s.ip,
            user_agent: s.user_agent,
        })
        .collect();
    let page = AppPage {
        bundle: crate::web::assets::bundle(),
        instance: &state.settings.get().instance_name,
        csrf_token: &token,
        username: &auth.user.username,
        is_admin: auth.user.is_admin,
        sso: state.oidc.providers().next().is_some(),
        space,
        channels,
        sessions,
    };
    render(StatusCode::OK, &page, csrf_headers(cookie))
}

fn store_failure(error: &dyn std::fmt::Display) -> Response {
    tracing::error!(%error, "store failed");
    error_page(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong; try again.")
}

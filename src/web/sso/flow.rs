//! The sign-in flow's two ends: `POST /auth/oidc/{provider}/start` (from the login and invite pages) sends the
//! browser to the provider; `GET /auth/oidc/{provider}/callback` checks what comes back and signs in, creates
//! the account (policy or invite), or links the identity (a sign-in started from settings).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{errors, public_base};
use crate::app::AppState;
use crate::crypto::random_token;
use crate::http::auth::MaybeUser;
use crate::http::client::Client;
use crate::http::cookies;
use crate::oidc::policy::{admin_from_groups, may_create};
use crate::oidc::{Callback, Person, Purpose};
use crate::web::pages::{render, start_session};

#[derive(Template)]
#[template(path = "sso_redirect.html")]
struct RedirectPage<'a> {
    label: &'a str,
    url: &'a str,
}

/// The start form's fields (the CSRF field is checked by the middleware).
#[derive(Deserialize)]
pub struct StartForm {
    /// An invite code to create the account with, from the invite page.
    #[serde(default)]
    invite: Option<String>,
}

/// `POST /auth/oidc/{provider}/start`.
pub async fn start(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Path(provider): Path<String>,
    Form(form): Form<StartForm>,
) -> Response {
    let invite = form.invite.filter(|code| !code.is_empty());
    if invite.is_some() && state.settings.get().registration == crate::admin::Registration::Closed {
        return crate::web::pages::error_page(
            axum::http::StatusCode::FORBIDDEN,
            "Sign-up is closed on this instance for now. Ask an admin to create your account.",
        );
    }
    if let Some(code) = &invite
        && let Err(e) = state.accounts.usable_invite(code).await
    {
        return errors::account_failed(&e, "/login");
    }
    go_to_provider(&state, &client, &headers, &provider, Purpose::SignIn { invite }).await
}

/// Remembers a sign-in and answers with the page that moves the browser on to the provider. Counts against the
/// client address's login limit.
pub async fn go_to_provider(
    state: &AppState,
    client: &Client,
    headers: &HeaderMap,
    name: &str,
    purpose: Purpose,
) -> Response {
    let back = match purpose {
        Purpose::SignIn { .. } => "/login",
        Purpose::Link { .. } => "/settings/sso",
    };
    let label = match state.oidc.provider(name) {
        Ok(provider) => provider.label(),
        Err(e) => return errors::sign_in_failed(&e, name, back),
    };
    if let Err(e) = state.accounts.check_login_rate(client.ip) {
        return errors::account_failed(&e, back);
    }
    // One binding value per browser, reused by sign-ins in other tabs so they do not undo each other.
    let browser = cookies::get(headers, cookies::OIDC)
        .filter(|v| v.len() == 43)
        .map_or_else(random_token, str::to_owned);
    let redirect_uri = format!("{}/auth/oidc/{name}/callback", public_base(state, headers, client));
    match state.oidc.begin(name, purpose, &redirect_uri, &browser).await {
        Ok(url) => {
            let ttl = state.config.oidc.login_timeout.0.as_secs() as i64;
            let mut out = HeaderMap::new();
            out.insert(header::SET_COOKIE, cookies::oidc_binding(&browser, ttl, client.https));
            out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            render(
                StatusCode::OK,
                &RedirectPage {
                    label: &label,
                    url: url.as_str(),
                },
                out,
            )
        }
        Err(e) => errors::sign_in_failed(&e, &label, back),
    }
}

/// `GET /auth/oidc/{provider}/callback`.
pub async fn callback(
    State(state): State<AppState>,
    client: Client,
    user: MaybeUser,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(callback): Query<Callback>,
) -> Response {
    let provider = match state.oidc.provider(&name) {
        Ok(provider) => provider,
        Err(e) => return errors::sign_in_failed(&e, &name, "/login"),
    };
    let label = provider.label();
    let browser = cookies::get(&headers, cookies::OIDC);
    let (purpose, person) = match state.oidc.finish(&name, callback, browser).await {
        Ok(done) => done,
        Err(e) => return errors::sign_in_failed(&e, &label, "/login"),
    };
    match purpose {
        Purpose::SignIn { invite } => sign_in(&state, &client, &name, &label, &person, invite).await,
        Purpose::Link { user_id } => {
            // Linking finishes only in the session that asked for it.
            if user.as_ref().is_none_or(|auth| auth.user.id != user_id) {
                return errors::sign_in_failed(&crate::oidc::OidcError::OtherBrowser, &label, "/settings/sso");
            }
            match state.accounts.sso_link(user_id, &person.identity()).await {
                Ok(()) => {
                    tracing::info!(provider = %name, "identity linked");
                    Redirect::to("/settings/sso?linked=1").into_response()
                }
                Err(e) => errors::account_failed(&e, "/settings/sso"),
            }
        }
    }
}

async fn sign_in(
    state: &AppState,
    client: &Client,
    name: &str,
    label: &str,
    person: &Person,
    invite: Option<String>,
) -> Response {
    let config = &state.oidc.provider(name).map(|p| p.config.clone()).unwrap_or_default();
    let admin = admin_from_groups(config, person);
    let known = match state.store.identity_get(&person.issuer, &person.subject).await {
        Ok(found) => found.is_some(),
        Err(e) => return errors::account_failed(&e.into(), "/login"),
    };
    if !known {
        if invite.is_none()
            && let Err(refusal) = may_create(config, person)
        {
            return errors::refused(refusal, label);
        }
        match state.accounts.sso_create(&person.identity(), invite.as_deref()).await {
            Ok(user) => {
                tracing::info!(user = %user.username, provider = %name, invited = invite.is_some(), "account created through single sign-on");
                if let Ok(Some(guild)) = state.store.guild_home().await
                    && let Ok(Some(member)) = state.store.member_get(guild.id, user.id).await
                {
                    state.chat.member_joined(&member);
                }
            }
            Err(e) => return errors::account_failed(&e, "/login"),
        }
    }
    match state
        .accounts
        .sso_sign_in(&person.identity(), name, admin, &client.info())
        .await
    {
        Ok(Some((token, user))) => {
            tracing::info!(user = %user.username, provider = %name, "login through single sign-on");
            start_session(state, client, &token)
        }
        Ok(None) => errors::account_failed(&crate::accounts::AccountError::InvalidCredentials, "/login"),
        Err(e) => errors::account_failed(&e, "/login"),
    }
}

//! `/settings/sso`: the signed-in person's single sign-on links — which providers their account is linked to,
//! a button to link each other provider (a sign-in at the provider, finished by the callback) and one to unlink.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{errors, flow};
use crate::app::AppState;
use crate::clock::iso8601;
use crate::http::auth::MaybeUser;
use crate::http::client::Client;
use crate::http::csrf;
use crate::oidc::Purpose;
use crate::web::pages::{csrf_headers, render};

struct Row {
    name: String,
    label: String,
    /// `Some((email, since))` when linked.
    linked: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "sso_settings.html")]
struct SettingsPage<'a> {
    instance: String,
    csrf_token: &'a str,
    username: &'a str,
    rows: Vec<Row>,
    /// Identities from issuers no longer configured.
    orphans: Vec<String>,
    notice: Option<&'static str>,
}

/// What the page was sent back with.
#[derive(Deserialize)]
pub struct Notice {
    #[serde(default)]
    linked: Option<String>,
    #[serde(default)]
    unlinked: Option<String>,
}

/// `GET /settings/sso`.
pub async fn page(
    State(state): State<AppState>,
    client: Client,
    user: MaybeUser,
    headers: HeaderMap,
    Query(notice): Query<Notice>,
) -> Response {
    let Some(auth) = user else {
        return Redirect::to("/login").into_response();
    };
    let identities = match state.accounts.sso_identities(auth.user.id).await {
        Ok(found) => found,
        Err(e) => return errors::account_failed(&e, "/"),
    };
    let rows = state
        .oidc
        .providers()
        .map(|p| Row {
            name: p.name.clone(),
            label: p.label(),
            linked: identities
                .iter()
                .find(|i| i.issuer == p.issuer())
                .map(|i| (i.email.clone().unwrap_or_default(), iso8601(i.linked_at))),
        })
        .collect();
    let orphans = identities
        .iter()
        .filter(|i| state.oidc.provider_by_issuer(&i.issuer).is_none())
        .map(|i| i.issuer.clone())
        .collect();
    let (token, cookie) = csrf::page_token(&state, &headers, client.https);
    let notice = match (notice.linked, notice.unlinked) {
        (Some(_), _) => Some("Linked. You can now sign in with it."),
        (_, Some(_)) => Some("Unlinked."),
        _ => None,
    };
    let page = SettingsPage {
        instance: state.settings.get().instance_name,
        csrf_token: &token,
        username: &auth.user.username,
        rows,
        orphans,
        notice,
    };
    render(StatusCode::OK, &page, csrf_headers(cookie))
}

/// `POST /settings/sso/{provider}/link`: a sign-in at the provider whose identity the callback links to this
/// account.
pub async fn link(
    State(state): State<AppState>,
    client: Client,
    user: MaybeUser,
    headers: HeaderMap,
    Path(provider): Path<String>,
) -> Response {
    let Some(auth) = user else {
        return Redirect::to("/login").into_response();
    };
    let purpose = Purpose::Link { user_id: auth.user.id };
    flow::go_to_provider(&state, &client, &headers, &provider, purpose).await
}

/// `POST /settings/sso/{provider}/unlink`.
pub async fn unlink(State(state): State<AppState>, user: MaybeUser, Path(provider): Path<String>) -> Response {
    let Some(auth) = user else {
        return Redirect::to("/login").into_response();
    };
    let provider = match state.oidc.provider(&provider) {
        Ok(provider) => provider,
        Err(e) => return errors::sign_in_failed(&e, &provider, "/settings/sso"),
    };
    let password_login = state.config.oidc.password_login;
    match state
        .accounts
        .sso_unlink(&auth.user, provider.issuer(), password_login)
        .await
    {
        Ok(()) => {
            tracing::info!(user = %auth.user.username, provider = %provider.name, "identity unlinked");
            Redirect::to("/settings/sso?unlinked=1").into_response()
        }
        Err(e) => errors::account_failed(&e, "/settings/sso"),
    }
}

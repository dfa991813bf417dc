//! Sign-up through an invite link: `GET /invite/{code}` shows the form, `POST` creates the account and logs in.
//! The page also offers each single sign-on provider, which creates the account on the same invite.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::pages::{csrf_headers, error_page, render, start_session};
use crate::accounts::AccountError;
use crate::admin::Registration;
use crate::app::AppState;
use crate::http::client::Client;
use crate::http::csrf;
use crate::web::sso::{ProviderButton, buttons};

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage<'a> {
    instance: &'a str,
    csrf_token: &'a str,
    code: &'a str,
    username: &'a str,
    error: Option<String>,
    password_login: bool,
    providers: Vec<ProviderButton>,
    invite: Option<&'a str>,
    /// The Discord name of the imported person this invite gives history of.
    claim: Option<String>,
}

/// The sign-up form's fields.
#[derive(Deserialize)]
pub struct SignUpForm {
    username: String,
    password: String,
    password_confirm: String,
}

/// The page for an invite link while the admin has closed registration.
fn registration_closed(state: &AppState) -> Option<Response> {
    (state.settings.get().registration == Registration::Closed).then(|| {
        error_page(
            StatusCode::FORBIDDEN,
            "Sign-up is closed on this instance for now. Ask an admin to create your account.",
        )
    })
}

/// `GET /invite/{code}`.
pub async fn form(
    State(state): State<AppState>,
    client: Client,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(closed) = registration_closed(&state) {
        return closed;
    }
    if let Err(e) = state.accounts.usable_invite(&code).await {
        return invite_error(&e);
    }
    let claim = state
        .store
        .invite_claim(code.clone())
        .await
        .ok()
        .flatten()
        .map(|(_, tag)| tag);
    show(&state, &client, &headers, StatusCode::OK, &code, "", None, claim)
}

/// `POST /invite/{code}`.
pub async fn submit(
    State(state): State<AppState>,
    client: Client,
    Path(code): Path<String>,
    headers: HeaderMap,
    Form(form): Form<SignUpForm>,
) -> Response {
    if let Some(closed) = registration_closed(&state) {
        return closed;
    }
    if !state.config.oidc.password_login {
        let error = Some("Password accounts are turned off here: use a provider below.".to_owned());
        return show(&state, &client, &headers, StatusCode::FORBIDDEN, &code, "", error, None);
    }
    if form.password != form.password_confirm {
        let error = Some("The two passwords differ.".to_owned());
        return show(
            &state,
            &client,
            &headers,
            StatusCode::BAD_REQUEST,
            &code,
            &form.username,
            error,
            None,
        );
    }
    match state
        .accounts
        .sign_up(&code, &form.username, &form.password, &client.info())
        .await
    {
        Ok((token, user)) => {
            tracing::info!(user = %user.username, "signed up through an invite");
            if let Ok(Some(guild)) = state.store.guild_home().await
                && let Ok(Some(member)) = state.store.member_get(guild.id, user.id).await
            {
                state.chat.member_joined(&member);
            }
            start_session(&state, &client, &token)
        }
        Err(e @ (AccountError::InvalidUsername(_) | AccountError::WeakPassword(_) | AccountError::UsernameTaken)) => {
            let error = Some(capitalize(&e.to_string()));
            show(
                &state,
                &client,
                &headers,
                StatusCode::BAD_REQUEST,
                &code,
                &form.username,
                error,
                None,
            )
        }
        Err(e) => invite_error(&e),
    }
}

#[allow(clippy::too_many_arguments)]
fn show(
    state: &AppState,
    client: &Client,
    headers: &HeaderMap,
    status: StatusCode,
    code: &str,
    username: &str,
    error: Option<String>,
    claim: Option<String>,
) -> Response {
    let (token, cookie) = csrf::page_token(state, headers, client.https);
    let page = InvitePage {
        instance: &state.settings.get().instance_name,
        csrf_token: &token,
        code,
        username,
        error,
        password_login: state.config.oidc.password_login,
        providers: buttons(state),
        invite: Some(code),
        claim,
    };
    render(status, &page, csrf_headers(cookie))
}

fn invite_error(error: &AccountError) -> Response {
    match error {
        AccountError::UnknownInvite => error_page(StatusCode::NOT_FOUND, "This invite link does not exist."),
        AccountError::InviteUnusable(_) => error_page(
            StatusCode::GONE,
            &format!("{}. Ask for a new one.", capitalize(&error.to_string())),
        ),
        other => {
            tracing::error!(error = %other, "invite failed");
            error_page(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong; try again.")
        }
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

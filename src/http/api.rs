//! The Discord-compatible REST API under `/api/v10` (and `/api`). The foundation serves the current user and
//! logout; the chat API fills in the rest.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::auth::Authenticated;
use super::client::Client;
use super::cookies;
use super::error::ApiError;
use crate::app::AppState;
use crate::store::User;

/// The API routes, relative to `/api/v10`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users/@me", get(me))
        .route("/auth/logout", post(logout))
        .fallback(unknown_route)
}

/// A user as Discord's API shows it.
pub fn user_json(user: &User) -> Value {
    json!({
        "id": user.id.to_string(),
        "username": user.username,
        "global_name": user.global_name,
        "discriminator": "0",
        "avatar": null,
        "bot": user.is_bot,
        "system": false,
        "flags": 0,
        "public_flags": 0,
    })
}

/// `GET /users/@me`.
async fn me(auth: Authenticated) -> Json<Value> {
    Json(user_json(&auth.user))
}

/// `POST /auth/logout`: ends the current session (Discord's path). Cookie-authenticated, so CSRF-checked.
async fn logout(State(state): State<AppState>, client: Client, auth: Authenticated) -> Result<Response, ApiError> {
    state.accounts.logout(&auth.token).await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, cookies::clear_session(client.https));
    Ok((StatusCode::NO_CONTENT, headers).into_response())
}

async fn unknown_route() -> ApiError {
    ApiError::NotFound(0, "404: Not Found")
}

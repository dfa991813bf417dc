//! Who is asking: the [`Authenticated`] extractor for API routes and [`MaybeUser`] for pages.
//!
//! A request with an `Authorization` header is authenticated by that header alone and never by cookies, which is
//! what lets the CSRF layer skip such requests safely. Bot tokens arrive with the chat API; until then an
//! `Authorization` header is simply not accepted.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use super::cookies;
use super::error::ApiError;
use crate::accounts::SessionToken;
use crate::app::AppState;
use crate::store::{Session, User};

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// The user.
    pub user: User,
    /// The browser session and its token (cookie authentication).
    pub session: Session,
    /// The session token from the cookie.
    pub token: SessionToken,
}

/// Resolves the session cookie in `headers`, if it names a live session.
pub async fn from_cookie(state: &AppState, headers: &HeaderMap) -> Result<Option<Authenticated>, ApiError> {
    let Some(token) = cookies::get(headers, cookies::SESSION).and_then(SessionToken::parse) else {
        return Ok(None);
    };
    let found = state.accounts.authenticate(&token).await?;
    Ok(found.map(|(session, user)| Authenticated { user, session, token }))
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if parts.headers.contains_key("authorization") {
            return Err(ApiError::Unauthorized);
        }
        from_cookie(state, &parts.headers).await?.ok_or(ApiError::Unauthorized)
    }
}

impl OptionalFromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        if parts.headers.contains_key("authorization") {
            return Ok(None);
        }
        from_cookie(state, &parts.headers).await
    }
}

/// For pages: the signed-in user, if any.
pub type MaybeUser = Option<Authenticated>;

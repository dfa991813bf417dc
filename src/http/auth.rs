//! Who is asking: the [`Authenticated`] extractor for API routes and [`MaybeUser`] for pages.
//!
//! A request with an `Authorization` header is authenticated by that header alone (`Bot <token>`) and never by
//! cookies, which is what lets the CSRF layer skip such requests safely. Without the header, the session cookie
//! decides.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use super::cookies;
use super::error::ApiError;
use crate::accounts::SessionToken;
use crate::app::AppState;
use crate::store::{Session, User};

/// How a request was authenticated.
#[derive(Debug, Clone)]
pub enum Via {
    /// A browser session (cookie).
    Session {
        /// The session row.
        session: Session,
        /// The token from the cookie.
        token: SessionToken,
    },
    /// A bot token (`Authorization: Bot …`).
    Bot,
}

/// A signed-in user or bot.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// The user.
    pub user: User,
    /// How they authenticated.
    pub via: Via,
}

impl Authenticated {
    /// The browser session, if this is one.
    pub fn session(&self) -> Option<(&Session, &SessionToken)> {
        match &self.via {
            Via::Session { session, token } => Some((session, token)),
            Via::Bot => None,
        }
    }
}

/// Resolves the session cookie in `headers`, if it names a live session.
pub async fn from_cookie(state: &AppState, headers: &HeaderMap) -> Result<Option<Authenticated>, ApiError> {
    let Some(token) = cookies::get(headers, cookies::SESSION).and_then(SessionToken::parse) else {
        return Ok(None);
    };
    let found = state.accounts.authenticate(&token).await?;
    Ok(found.map(|(session, user)| Authenticated {
        user,
        via: Via::Session { session, token },
    }))
}

/// The token of an `Authorization: Bot <token>` header, as authentication reads it (the rate limiter keys
/// buckets by the same reading, so respelling the header does not give a fresh bucket).
pub fn bot_token(value: &str) -> Option<&str> {
    value.strip_prefix("Bot ").map(str::trim)
}

/// Resolves an `Authorization: Bot <token>` header. Anything else in the header is not a credential.
pub async fn from_header(state: &AppState, value: &str) -> Result<Option<Authenticated>, ApiError> {
    let Some(token) = bot_token(value) else {
        return Ok(None);
    };
    let user = state.accounts.authenticate_bot(token).await?;
    Ok(user.map(|user| Authenticated { user, via: Via::Bot }))
}

async fn authenticate(parts: &Parts, state: &AppState) -> Result<Option<Authenticated>, ApiError> {
    if let Some(header) = parts.headers.get("authorization") {
        return from_header(state, header.to_str().unwrap_or("")).await;
    }
    from_cookie(state, &parts.headers).await
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(done) = parts.extensions.get::<Authenticated>() {
            return Ok(done.clone());
        }
        let auth = authenticate(parts, state).await?.ok_or(ApiError::Unauthorized)?;
        parts.extensions.insert(auth.clone());
        Ok(auth)
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

//! The one place where errors become HTTP responses, in Discord's shape: `{"code": …, "message": …}` with the
//! matching status. Internal causes are logged once here and never sent to the client.

use axum::Json;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::accounts::AccountError;
use crate::store::StoreError;

/// An API error, rendered as Discord renders errors.
#[derive(Debug)]
pub enum ApiError {
    /// 401: no valid session or token.
    Unauthorized,
    /// 403 with a reason (CSRF, cross-origin, missing permission).
    Forbidden(&'static str),
    /// 404 for an unknown route or object; Discord code (10003 unknown channel, …) or 0.
    NotFound(u32, &'static str),
    /// 400 for a request that breaks a rule; Discord code 50035 "Invalid Form Body".
    Invalid(String),
    /// 429 with the wait in seconds.
    RateLimited(f64),
    /// 500: a bug or an outage; the cause is logged, not sent.
    Internal(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match &self {
            Self::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                json!({"code": 0, "message": "401: Unauthorized"}),
            ),
            Self::Forbidden(why) => (
                StatusCode::FORBIDDEN,
                json!({"code": 50013, "message": format!("Missing Permissions: {why}")}),
            ),
            Self::NotFound(code, what) => (StatusCode::NOT_FOUND, json!({"code": code, "message": what})),
            Self::Invalid(why) => (
                StatusCode::BAD_REQUEST,
                json!({"code": 50035, "message": "Invalid Form Body", "errors": {"_errors": [{"code": "BASE_TYPE_INVALID", "message": why}]}}),
            ),
            Self::RateLimited(wait) => (
                StatusCode::TOO_MANY_REQUESTS,
                json!({"message": "You are being rate limited.", "retry_after": wait, "global": false}),
            ),
            Self::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"code": 0, "message": "500: Internal Server Error"}),
                )
            }
        };
        let mut response = (status, Json(body)).into_response();
        if let Self::RateLimited(wait) = self
            && let Ok(value) = HeaderValue::from_str(&format!("{}", wait.ceil() as u64))
        {
            response.headers_mut().insert("retry-after", value);
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound(0, "404: Not Found"),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<AccountError> for ApiError {
    fn from(error: AccountError) -> Self {
        match error {
            AccountError::InvalidCredentials => Self::Unauthorized,
            AccountError::RateLimited(wait) => Self::RateLimited(wait.as_secs_f64()),
            AccountError::UnknownUser(_) => Self::NotFound(10013, "Unknown User"),
            AccountError::UnknownInvite | AccountError::InviteUnusable(_) => Self::NotFound(10006, "Unknown Invite"),
            AccountError::InvalidUsername(_) | AccountError::WeakPassword(_) | AccountError::UsernameTaken => {
                Self::Invalid(error.to_string())
            }
            AccountError::Store(store) => store.into(),
            AccountError::NoHomeSpace | AccountError::Internal(_) => Self::Internal(error.to_string()),
        }
    }
}

//! The one place where errors become HTTP responses, in Discord's shape: `{"code": …, "message": …}` (plus
//! `errors` for invalid fields) with the matching status. Internal causes are logged once here and never sent.

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::accounts::AccountError;
use crate::admin::AdminError;
use crate::chat::ChatError;
use crate::music::dj::MusicError;
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
    /// 400 for a request that breaks a rule; Discord code 50035 "Invalid Form Body" on `field`.
    Invalid(String, String),
    /// 400: the body is not JSON (Discord code 50109).
    InvalidJson,
    /// 413: the body is too large.
    TooLarge,
    /// A chat rule refused the request.
    Chat(ChatError),
    /// The DJ refused an action of the now-playing bar.
    Music(MusicError),
    /// 429 with the wait in seconds, whether it is the global limit, and the headers to send.
    RateLimited(f64, bool, HeaderMap),
    /// 500: a bug or an outage; the cause is logged, not sent.
    Internal(String),
}

impl ApiError {
    /// A field error.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(field.to_owned(), message.into())
    }
}

/// Discord's nested `errors` object for a dotted field path.
fn field_errors(field: &str, message: &str) -> Value {
    let mut value = json!({"_errors": [{"code": "BASE_TYPE_INVALID", "message": message}]});
    for part in field.rsplit('.').filter(|p| !p.is_empty()) {
        value = json!({ part: value });
    }
    value
}

fn invalid_body(field: &str, message: &str) -> (StatusCode, Value) {
    (
        StatusCode::BAD_REQUEST,
        json!({"code": 50035, "message": "Invalid Form Body", "errors": field_errors(field, message)}),
    )
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
            Self::Invalid(field, why) => invalid_body(field, why),
            Self::InvalidJson => (
                StatusCode::BAD_REQUEST,
                json!({"code": 50109, "message": "The request body contains invalid JSON."}),
            ),
            Self::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                json!({"code": 40005, "message": "Request entity too large"}),
            ),
            Self::Chat(error) => chat_error(error),
            Self::Music(MusicError::SlowDown(wait)) => {
                return Self::RateLimited(wait.as_secs_f64().max(0.001), false, HeaderMap::new()).into_response();
            }
            Self::Music(error) => music_error(error),
            Self::RateLimited(wait, global, _) => (
                StatusCode::TOO_MANY_REQUESTS,
                json!({"message": "You are being rate limited.", "retry_after": wait, "global": global, "code": 0}),
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
        if let Self::RateLimited(wait, _, headers) = self {
            response.headers_mut().extend(headers);
            // HTTP's Retry-After is whole seconds (rounded up); the JSON body keeps the precise wait.
            if let Ok(value) = HeaderValue::from_str(&format!("{}", wait.ceil().max(1.0) as u64)) {
                response.headers_mut().insert("retry-after", value);
            }
        }
        response
    }
}

fn chat_error(error: &ChatError) -> (StatusCode, Value) {
    let status = match error {
        ChatError::UnknownChannel
        | ChatError::UnknownMessage
        | ChatError::UnknownUser
        | ChatError::UnknownGuild
        | ChatError::UnknownEmoji
        | ChatError::UnknownRole
        | ChatError::UnknownWebhook
        | ChatError::UnknownCommand
        | ChatError::UnknownInteraction
        | ChatError::UnknownSticker
        | ChatError::UnknownSound => StatusCode::NOT_FOUND,
        ChatError::InvalidWebhookToken => StatusCode::UNAUTHORIZED,
        ChatError::MissingAccess
        | ChatError::MissingPermissions
        | ChatError::NotAuthor
        | ChatError::CannotMessageUser => StatusCode::FORBIDDEN,
        ChatError::EmptyMessage
        | ChatError::ThreadArchived
        | ChatError::NotVoice
        | ChatError::TooManyRecipients
        | ChatError::TooManyWebhooks
        | ChatError::TooManyCommands
        | ChatError::AlreadyAcknowledged
        | ChatError::TooManyEmojis(_)
        | ChatError::TooManyStickers(_)
        | ChatError::TooManySounds(_)
        | ChatError::InvalidAsset(..)
        | ChatError::InvalidSticker
        | ChatError::InvalidVoiceMessage(..) => StatusCode::BAD_REQUEST,
        ChatError::AssetTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        ChatError::Invalid(field, message) => return invalid_body(field, message),
        ChatError::Store(store) => {
            tracing::error!(cause = %store, "store failed");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"code": 0, "message": "500: Internal Server Error"}),
            );
        }
    };
    (status, json!({"code": error.code(), "message": error.to_string()}))
}

/// The DJ's refusals in plain words (the chat versions carry Markdown and command hints).
fn music_error(error: &MusicError) -> (StatusCode, Value) {
    let forbidden = |why: String| {
        (
            StatusCode::FORBIDDEN,
            json!({"code": 50013, "message": format!("Missing Permissions: {why}")}),
        )
    };
    match error {
        MusicError::NeedsDj(role) => forbidden(format!("that needs the {role} role")),
        MusicError::NotInRoom => forbidden("join this voice room to control its music".to_owned()),
        MusicError::NotYours(_) => forbidden("only who asked for this track (or a DJ) can skip it".to_owned()),
        MusicError::NothingPlaying(_) => invalid_body("action", "Nothing is playing in this voice room."),
        MusicError::Off => invalid_body("action", "The DJ is turned off on this server."),
        MusicError::Unavailable(why) => (StatusCode::SERVICE_UNAVAILABLE, json!({"code": 0, "message": why})),
        MusicError::PastTheEnd => invalid_body("position_ms", "That is past the end of the track."),
        MusicError::Queue(e) => invalid_body("action", &e.to_string()),
        MusicError::SlowDown(_) => (
            StatusCode::TOO_MANY_REQUESTS,
            json!({"message": "You are being rate limited.", "retry_after": 1.0, "global": false, "code": 0}),
        ),
    }
}

impl From<MusicError> for ApiError {
    fn from(error: MusicError) -> Self {
        Self::Music(error)
    }
}

impl From<ChatError> for ApiError {
    fn from(error: ChatError) -> Self {
        Self::Chat(error)
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

impl From<AdminError> for ApiError {
    fn from(error: AdminError) -> Self {
        match error {
            AdminError::NotAdmin => Self::Forbidden("only instance admins can do this"),
            AdminError::Invalid(message) => Self::invalid("_admin", message),
            AdminError::Account(e) => e.into(),
            AdminError::Chat(e) => e.into(),
            AdminError::Store(e) => e.into(),
        }
    }
}

impl From<AccountError> for ApiError {
    fn from(error: AccountError) -> Self {
        match error {
            AccountError::InvalidCredentials => Self::Unauthorized,
            AccountError::RateLimited(wait) => Self::RateLimited(wait.as_secs_f64(), false, HeaderMap::new()),
            AccountError::UnknownUser(_) => Self::NotFound(10013, "Unknown User"),
            AccountError::UnknownInvite | AccountError::InviteUnusable(_) => Self::NotFound(10006, "Unknown Invite"),
            AccountError::InvalidUsername(_) | AccountError::WeakPassword(_) | AccountError::UsernameTaken => {
                Self::invalid("username", error.to_string())
            }
            AccountError::IdentityTaken | AccountError::NotLinked | AccountError::LastWayIn => {
                Self::invalid("provider", error.to_string())
            }
            AccountError::Store(store) => store.into(),
            AccountError::NoHomeSpace | AccountError::Internal(_) => Self::Internal(error.to_string()),
        }
    }
}

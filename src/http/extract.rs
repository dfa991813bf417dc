//! Extractors whose rejections are Discord errors: JSON bodies (`50109` for bad JSON, `50035` naming the bad
//! field), path ids and query strings.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// A JSON body. An empty body reads as `{}` (Discord libraries send none for some POSTs).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| ApiError::TooLarge)?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses a JSON document into `T` with Discord errors.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::InvalidJson
        } else {
            let message = inner.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
            ApiError::invalid(if path == "." { "_body" } else { &path }, message)
        }
    })?;
    // One JSON value and nothing after it but whitespace (`{..} {..}` is not a body), as Discord reads it.
    deserializer.end().map_err(|_| ApiError::InvalidJson)?;
    Ok(value)
}

/// Path parameters; a malformed id is a 404 for the route, as Discord answers.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| ApiPath(value))
            .map_err(|_| ApiError::NotFound(0, "404: Not Found"))
    }
}

/// Query parameters; a malformed one is a 50035 error.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| ApiQuery(value))
            .map_err(|e| ApiError::invalid("query", e.body_text()))
    }
}

/// A number from the query within Discord's range for it, or `default` when absent; out of range is refused
/// with 50035 naming the field, as Discord refuses it (never clamped: a client that asked for 500 must learn
/// it gets at most 100).
pub fn within(
    field: &str,
    value: Option<i64>,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, ApiError> {
    let value = value.unwrap_or(default);
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::invalid(
            field,
            format!("Must be between {} and {}.", range.start(), range.end()),
        ))
    }
}

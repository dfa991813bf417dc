//! `GET /music/covers/{track_id}`: the cover art of a library track (its embedded picture, or the `cover.jpg`
//! next to it), for signed-in members and bots, like attachments. Only PNG, JPEG, GIF and WebP are stored (the
//! scan checks the bytes), and the type sent is decided from the bytes again; `nosniff` comes from the security
//! headers and a `sandbox` CSP makes sure the picture never runs as a page.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::auth::Authenticated;
use super::error::ApiError;
use super::extract::ApiPath;
use crate::app::AppState;

/// Serves one cover.
pub async fn cover(
    State(state): State<AppState>,
    _auth: Authenticated,
    ApiPath(track_id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::NotFound(0, "404: Not Found");
    let (_, bytes) = state.store.music_cover(track_id).await?.ok_or_else(not_found)?;
    let (_, mime) = crate::chat::profile::image_kind(&bytes).ok_or_else(not_found)?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    Ok(response)
}

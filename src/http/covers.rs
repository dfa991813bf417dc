//! Cover art for the DJ's tracks, for signed-in members and bots (cookie or token), like attachments:
//! `GET /music/covers/{track_id}` for a library track (its embedded picture, or the `cover.jpg` next to it, kept
//! by the scan) and `GET /music/covers/upload/{channel_id}/{attachment_id}` for the picture embedded in an
//! uploaded audio file (for those who can read that channel's history; read from the file on a blocking thread).
//!
//! Only PNG, JPEG, GIF and WebP are served, the type decided from the bytes; `nosniff` and a `sandbox` CSP make
//! sure a picture never runs as a page.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::auth::Authenticated;
use super::error::ApiError;
use super::extract::ApiPath;
use crate::app::AppState;
use crate::store::Snowflake;
use crate::uploads::Uploads;

fn not_found() -> ApiError {
    ApiError::NotFound(0, "404: Not Found")
}

/// Serves a library track's cover.
pub async fn library(
    State(state): State<AppState>,
    _auth: Authenticated,
    ApiPath(track_id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let (_, bytes) = state.store.music_cover(track_id).await?.ok_or_else(not_found)?;
    picture(bytes)
}

/// Serves the picture embedded in an uploaded audio file.
pub async fn upload(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((channel_id, attachment_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    let attachment = super::files::readable_attachment(&state, &auth.user, channel_id, attachment_id).await?;
    let path = Uploads::new(&state.config.server.data_dir).path(attachment_id);
    let extension = std::path::Path::new(&attachment.filename)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_owned);
    let tags = tokio::task::spawn_blocking(move || crate::music::library::read_file_tags(&path, extension.as_deref()))
        .await
        .map_err(|e| ApiError::Internal(format!("reading tags crashed: {e}")))?;
    let (_, bytes) = tags.ok().and_then(|t| t.cover).ok_or_else(not_found)?;
    picture(bytes)
}

fn picture(bytes: Vec<u8>) -> Result<Response, ApiError> {
    let (_, mime) = crate::media::image_kind(&bytes).ok_or_else(not_found)?;
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

//! `GET /avatars/{user_id}/{hash}.{ext}` and `GET /icons/{guild_id}/{hash}.{ext}`: avatar and space icon images,
//! public like Discord's CDN, immutable under their hash.
//!
//! `GET /emojis/{id}.{ext}`, `/stickers/{id}.{ext}` and `/soundboard-sounds/{id}`: the space's custom emoji,
//! stickers and sounds, public like Discord's CDN (libraries build these URLs from the id alone), immutable.
//!
//! `GET /attachments/{channel_id}/{attachment_id}/{filename}`: uploaded files, for members who can read the
//! channel, and for anyone holding a link spot signed for them (expiring, bound to the file). Images, audio and video that browsers render without scripts are served inline with their type;
//! everything else is `application/octet-stream` with `Content-Disposition: attachment`. A `sandbox` CSP and
//! `nosniff` make sure no upload ever runs as a page of this origin.

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tokio_util::io::ReaderStream;

use super::auth::Authenticated;
use super::error::ApiError;
use super::extract::ApiPath;
use crate::app::AppState;
use crate::chat::ChatError;
use crate::perms::bits;
use crate::store::{Attachment, Snowflake, User};
use crate::uploads::{Uploads, is_inline};
use crate::wire::{Signature, urlencode};

/// An uploaded file `user` may read: one of `channel_id`'s, in a channel whose history they can read. The
/// check every way of serving an upload (the file, the cover art inside it) goes through.
pub(super) async fn readable_attachment(
    state: &AppState,
    user: &User,
    channel_id: Snowflake,
    attachment_id: Snowflake,
) -> Result<Attachment, ApiError> {
    let access = state.chat.access(user, channel_id).await?;
    access.require(bits::READ_MESSAGE_HISTORY)?;
    state
        .store
        .attachment_get(channel_id, attachment_id)
        .await?
        .ok_or(ApiError::NotFound(0, "404: Not Found"))
}

/// Serves one attachment: to anyone with an unexpired link signed by this instance (what wire objects carry,
/// so libraries download with a plain GET as from Discord's CDN), or else to a signed-in reader of the channel.
pub async fn attachment(
    State(state): State<AppState>,
    auth: Result<Authenticated, ApiError>,
    Query(signature): Query<Signature>,
    ApiPath((channel_id, attachment_id, _name)): ApiPath<(Snowflake, Snowflake, String)>,
) -> Result<Response, ApiError> {
    let attachment = if state.chat.urls().verify(channel_id, attachment_id, &signature) {
        state
            .store
            .attachment_get(channel_id, attachment_id)
            .await?
            .ok_or(ApiError::NotFound(0, "404: Not Found"))?
    } else {
        readable_attachment(&state, &auth?.user, channel_id, attachment_id).await?
    };
    let file = tokio::fs::File::open(Uploads::new(&state.config.server.data_dir).path(attachment_id))
        .await
        .map_err(|_| ApiError::Chat(ChatError::UnknownMessage))?;
    let inline = is_inline(&attachment.content_type);
    let content_type = if inline {
        attachment.content_type.as_str()
    } else {
        "application/octet-stream"
    };
    let disposition = format!(
        "{}; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        urlencode(&attachment.filename)
    );
    let mut response = Body::from_stream(ReaderStream::new(file)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(attachment.size as u64));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    Ok(response)
}

/// Serves an avatar image. The extension in the URL is ignored; the stored file's own type is sent.
pub async fn avatar(
    State(state): State<AppState>,
    ApiPath((user_id, file)): ApiPath<(Snowflake, String)>,
) -> Result<Response, ApiError> {
    image(&state, "avatars", user_id, &file).await
}

/// Serves the home space's icon (`/icons/{guild_id}/{hash}.png`), like an avatar.
pub async fn icon(
    State(state): State<AppState>,
    ApiPath((guild_id, file)): ApiPath<(Snowflake, String)>,
) -> Result<Response, ApiError> {
    image(&state, "icons", guild_id, &file).await
}

/// Serves a group DM's icon (`/channel-icons/{channel_id}/{hash}.png`), like an avatar.
pub async fn channel_icon(
    State(state): State<AppState>,
    ApiPath((channel_id, file)): ApiPath<(Snowflake, String)>,
) -> Result<Response, ApiError> {
    image(&state, "channel-icons", channel_id, &file).await
}

/// An image stored by its hash under `<data_dir>/<kind>/<owner>/`.
async fn image(state: &AppState, kind: &str, owner: Snowflake, file: &str) -> Result<Response, ApiError> {
    let not_found = || ApiError::NotFound(0, "404: Not Found");
    let hash = file.split('.').next().unwrap_or("");
    if hash.len() != 32 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(not_found());
    }
    let dir = state.config.server.data_dir.join(kind).join(owner.to_string());
    for ext in ["png", "jpg", "gif", "webp"] {
        if let Ok(bytes) = tokio::fs::read(dir.join(format!("{hash}.{ext}"))).await {
            let Some((_, mime)) = crate::media::image_kind(&bytes) else {
                return Err(not_found());
            };
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            return Ok(response);
        }
    }
    Err(not_found())
}

/// The id in `{id}.{ext}` (or a bare id).
fn file_id(file: &str) -> Option<Snowflake> {
    file.split('.').next()?.parse().ok()
}

/// Serves an expression's stored file with `content_type`, cached for good (its id never changes meaning).
async fn expression_file(state: &AppState, id: Snowflake, content_type: &'static str) -> Result<Response, ApiError> {
    let bytes = tokio::fs::read(Uploads::expressions(&state.config.server.data_dir).path(id))
        .await
        .map_err(|_| ApiError::NotFound(0, "404: Not Found"))?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    Ok(response)
}

/// `GET /emojis/{id}.{png|gif|webp}`: a custom emoji (the extension asked for is ignored; the stored picture,
/// a PNG or an animated GIF, is sent with its own type). A deleted emoji is gone.
pub async fn emoji(State(state): State<AppState>, ApiPath(file): ApiPath<String>) -> Result<Response, ApiError> {
    let id = file_id(&file).ok_or(ApiError::NotFound(0, "404: Not Found"))?;
    let emoji = state
        .store
        .emoji(id)
        .await?
        .filter(|e| !e.deleted)
        .ok_or(ApiError::NotFound(0, "404: Not Found"))?;
    expression_file(&state, id, if emoji.animated { "image/gif" } else { "image/png" }).await
}

/// `GET /stickers/{id}.{png|gif}`: a sticker's picture.
pub async fn sticker(State(state): State<AppState>, ApiPath(file): ApiPath<String>) -> Result<Response, ApiError> {
    let id = file_id(&file).ok_or(ApiError::NotFound(0, "404: Not Found"))?;
    let sticker = state
        .store
        .sticker(id)
        .await?
        .filter(|s| !s.deleted)
        .ok_or(ApiError::NotFound(0, "404: Not Found"))?;
    expression_file(
        &state,
        id,
        if sticker.format_type == 4 {
            "image/gif"
        } else {
            "image/png"
        },
    )
    .await
}

/// `GET /soundboard-sounds/{id}`: a soundboard sound's file.
pub async fn sound(State(state): State<AppState>, ApiPath(file): ApiPath<String>) -> Result<Response, ApiError> {
    let id = file_id(&file).ok_or(ApiError::NotFound(0, "404: Not Found"))?;
    let sound = state
        .store
        .sound(id)
        .await?
        .ok_or(ApiError::NotFound(0, "404: Not Found"))?;
    let content_type = match sound.content_type.as_str() {
        "audio/ogg" => "audio/ogg",
        "audio/wav" => "audio/wav",
        _ => "audio/mpeg",
    };
    expression_file(&state, id, content_type).await
}

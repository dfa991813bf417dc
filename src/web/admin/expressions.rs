//! Admin page for the space's expressions (`/admin/expressions`): its custom emoji, stickers and soundboard
//! sounds, a form to add each (file uploads, `multipart/form-data` with the CSRF token in the query) and
//! deleting any of them. It goes through the same chat rules as the API (the admin may manage expressions), so
//! the same checks, events and audit entries apply.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Frame, Notice, Staff, broken, page};
use crate::app::AppState;
use crate::chat::ChatError;
use crate::chat::expressions::sounds::{MAX_SOUND_BYTES, MAX_SOUND_MS, SoundInput};
use crate::chat::expressions::stickers::{MAX_STICKER_BYTES, StickerInput};
use crate::store::{Emoji, Snowflake, Sound, Sticker};
use crate::uploads::Uploads;

#[derive(Template)]
#[template(path = "admin/expressions.html")]
struct ExpressionsPage {
    frame: Frame,
    added: Option<String>,
    emojis: Vec<(Emoji, String)>,
    stickers: Vec<(Sticker, String)>,
    sounds: Vec<(Sound, String)>,
}

/// `?added=` after an upload.
#[derive(Debug, Default, Deserialize)]
pub struct Added {
    added: Option<String>,
}

fn uploader(user: Option<crate::store::User>) -> String {
    user.map_or_else(|| "—".to_owned(), |u| u.username)
}

async fn home(state: &AppState) -> Option<Snowflake> {
    state.store.guild_home().await.ok().flatten().map(|g| g.id)
}

/// `GET /admin/expressions`.
pub async fn expressions(State(state): State<AppState>, staff: Staff, Query(added): Query<Added>) -> Response {
    let frame = Frame::new(&state, &staff, "expressions", &Notice::default());
    show(&state, &staff, frame, added.added).await
}

async fn show(state: &AppState, staff: &Staff, frame: Frame, added: Option<String>) -> Response {
    let Some(guild) = home(state).await else {
        return broken(&crate::admin::AdminError::Invalid("no home space".into()));
    };
    let listed = async {
        let emojis = state.chat.emojis_of(&staff.user, guild).await?;
        let stickers = state.chat.stickers_of(&staff.user, guild).await?;
        let sounds = state.chat.sounds_of(&staff.user, guild).await?;
        Ok::<_, ChatError>((emojis, stickers, sounds))
    };
    let (emojis, stickers, sounds) = match listed.await {
        Ok(lists) => lists,
        Err(e) => return broken(&crate::admin::AdminError::Invalid(e.to_string())),
    };
    let failed = frame.error.is_some();
    page(
        &ExpressionsPage {
            frame,
            added: added.filter(|_| !failed),
            emojis: emojis.into_iter().map(|(e, u)| (e, uploader(u))).collect(),
            stickers: stickers.into_iter().map(|(s, u)| (s, uploader(u))).collect(),
            sounds: sounds.into_iter().map(|(s, u)| (s, uploader(u))).collect(),
        },
        failed,
    )
}

/// The page again with an error.
async fn failed(state: &AppState, staff: &Staff, error: &ChatError) -> Response {
    let frame = Frame::new(state, staff, "expressions", &Notice::default())
        .failed(&crate::admin::AdminError::Invalid(error.to_string()));
    show(state, staff, frame, None).await
}

/// Back to the page with "Added …".
fn added(what: &str) -> Response {
    Redirect::to(&format!("/admin/expressions?added={}", crate::wire::urlencode(what))).into_response()
}

/// A form's text fields and its one file (at most `max` bytes).
async fn read_form(
    multipart: &mut Multipart,
    file_field: &str,
    max: usize,
) -> Result<(std::collections::HashMap<String, String>, Vec<u8>), ChatError> {
    let mut fields = std::collections::HashMap::new();
    let mut file = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(ChatError::invalid("form", e.body_text())),
        };
        let name = field.name().unwrap_or("").to_owned();
        if name == file_field {
            let bytes = field.bytes().await.map_err(|_| ChatError::AssetTooLarge(max / 1024))?;
            if bytes.len() > max {
                return Err(ChatError::AssetTooLarge(max / 1024));
            }
            file = bytes.to_vec();
        } else {
            fields.insert(name, field.text().await.unwrap_or_default());
        }
    }
    if file.is_empty() {
        return Err(ChatError::invalid(file_field, "Choose a file."));
    }
    Ok((fields, file))
}

fn files(state: &AppState) -> Uploads {
    Uploads::expressions(&state.config.server.data_dir)
}

/// `POST /admin/expressions/emoji` (multipart: `name`, `image`).
pub async fn add_emoji(State(state): State<AppState>, staff: Staff, mut multipart: Multipart) -> Response {
    let Some(guild) = home(&state).await else {
        return broken(&crate::admin::AdminError::Invalid("no home space".into()));
    };
    let max = crate::chat::expressions::emojis::MAX_EMOJI_BYTES;
    let result = async {
        let (fields, bytes) = read_form(&mut multipart, "image", max).await?;
        let name = fields.get("name").cloned().unwrap_or_default();
        state
            .chat
            .create_emoji_from(&staff.user, guild, &name, bytes, &files(&state))
            .await
    };
    match result.await {
        Ok(emoji) => added(&format!(":{}:", emoji.name)),
        Err(e) => failed(&state, &staff, &e).await,
    }
}

/// `POST /admin/expressions/sticker` (multipart: `name`, `description`, `tags`, `file`).
pub async fn add_sticker(State(state): State<AppState>, staff: Staff, mut multipart: Multipart) -> Response {
    let Some(guild) = home(&state).await else {
        return broken(&crate::admin::AdminError::Invalid("no home space".into()));
    };
    let result = async {
        let (mut fields, file) = read_form(&mut multipart, "file", MAX_STICKER_BYTES).await?;
        let input = StickerInput {
            name: fields.remove("name").unwrap_or_default(),
            description: fields.remove("description").unwrap_or_default(),
            tags: fields.remove("tags").unwrap_or_default(),
            file,
        };
        state
            .chat
            .create_sticker(&staff.user, guild, input, &files(&state))
            .await
    };
    match result.await {
        Ok(sticker) => added(&format!("sticker {}", sticker.name)),
        Err(e) => failed(&state, &staff, &e).await,
    }
}

/// `POST /admin/expressions/sound` (multipart: `name`, `emoji_name`, `volume` 0–100, `sound`).
pub async fn add_sound(State(state): State<AppState>, staff: Staff, mut multipart: Multipart) -> Response {
    let Some(guild) = home(&state).await else {
        return broken(&crate::admin::AdminError::Invalid("no home space".into()));
    };
    let result = async {
        let (mut fields, bytes) = read_form(&mut multipart, "sound", MAX_SOUND_BYTES).await?;
        state.chat.may_add_sound(&staff.user, guild).await?;
        let max = std::time::Duration::from_millis(MAX_SOUND_MS as u64);
        let clip = crate::music::pipeline::clip::decode_off_thread(bytes.clone(), max)
            .await
            .map_err(|e| ChatError::InvalidAsset("sound".into(), e.to_string()))?;
        let volume = match fields.remove("volume").filter(|v| !v.trim().is_empty()) {
            Some(v) => Some(
                v.trim()
                    .parse::<f64>()
                    .map_err(|_| ChatError::invalid("volume", "Must be a number from 0 to 100."))?
                    / 100.0,
            ),
            None => None,
        };
        let input = SoundInput {
            name: fields.remove("name").unwrap_or_default(),
            volume,
            emoji_id: None,
            emoji_name: fields.remove("emoji_name").filter(|e| !e.trim().is_empty()),
            bytes,
            content_type: clip.content_type.to_owned(),
            duration_ms: clip.duration.as_millis() as i64,
        };
        state.chat.create_sound(&staff.user, guild, input, &files(&state)).await
    };
    match result.await {
        Ok(sound) => added(&format!("sound {}", sound.name)),
        Err(e) => failed(&state, &staff, &e).await,
    }
}

/// `POST /admin/expressions/{kind}/{id}/delete` (`kind`: emoji, sticker or sound).
pub async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    Path((kind, id)): Path<(String, Snowflake)>,
) -> Response {
    let Some(guild) = home(&state).await else {
        return broken(&crate::admin::AdminError::Invalid("no home space".into()));
    };
    let files = files(&state);
    let result = match kind.as_str() {
        "emoji" => state.chat.delete_emoji(&staff.user, guild, id, &files).await,
        "sticker" => state.chat.delete_sticker(&staff.user, guild, id, &files).await,
        "sound" => state.chat.delete_sound(&staff.user, guild, id, &files).await,
        _ => Err(ChatError::invalid("kind", "Unknown kind of expression.")),
    };
    match result {
        Ok(()) => Redirect::to("/admin/expressions").into_response(),
        Err(e) => failed(&state, &staff, &e).await,
    }
}

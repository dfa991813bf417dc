//! The space's expressions over Discord's REST: `/guilds/{id}/emojis`, `/guilds/{id}/stickers` (and
//! `/stickers/{id}`), `/guilds/{id}/soundboard-sounds`, and `POST /channels/{id}/send-soundboard-sound`, which
//! has the DJ play a sound into the voice room the caller is in.

use axum::extract::{Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{json, no_content};
use crate::app::AppState;
use crate::chat::ChatError;
use crate::chat::expressions::decode_data_uri;
use crate::chat::expressions::emojis::{EmojiEdit, EmojiInput};
use crate::chat::expressions::sounds::{self, MAX_SOUND_BYTES, MAX_SOUND_MS, SoundFields, SoundInput};
use crate::chat::expressions::stickers::{MAX_STICKER_BYTES, StickerEdit, StickerInput};
use crate::http::auth::Authenticated;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, ApiPath};
use crate::music::dj::MusicError;
use crate::store::Snowflake;
use crate::uploads::Uploads;
use crate::wire;

fn files(state: &AppState) -> Uploads {
    Uploads::expressions(&state.config.server.data_dir)
}

fn created(body: impl serde::Serialize) -> Response {
    (StatusCode::CREATED, json(body)).into_response()
}

/// `GET /guilds/{guild_id}/emojis`.
pub async fn list_emojis(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let emojis = state.chat.emojis_of(&auth.user, guild_id).await?;
    let out: Vec<_> = emojis
        .iter()
        .map(|(e, u)| wire::GuildEmoji::new(e, u.as_ref()))
        .collect();
    Ok(json(out))
}

/// `GET /guilds/{guild_id}/emojis/{emoji_id}`.
pub async fn get_emoji(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((guild_id, emoji_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    let (emoji, user) = state.chat.emoji_of(&auth.user, guild_id, emoji_id).await?;
    Ok(json(wire::GuildEmoji::new(&emoji, user.as_ref())))
}

/// `POST /guilds/{guild_id}/emojis`: `{name, image: data URI, roles}`.
pub async fn create_emoji(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild_id): ApiPath<Snowflake>,
    ApiJson(input): ApiJson<EmojiInput>,
) -> Result<Response, ApiError> {
    let emoji = state
        .chat
        .create_emoji(&auth.user, guild_id, input, &files(&state))
        .await?;
    Ok(created(wire::GuildEmoji::new(&emoji, Some(&auth.user))))
}

/// `PATCH /guilds/{guild_id}/emojis/{emoji_id}`.
pub async fn update_emoji(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((guild_id, emoji_id)): ApiPath<(Snowflake, Snowflake)>,
    ApiJson(edit): ApiJson<EmojiEdit>,
) -> Result<Response, ApiError> {
    let emoji = state.chat.update_emoji(&auth.user, guild_id, emoji_id, edit).await?;
    let (_, user) = state.chat.emoji_of(&auth.user, guild_id, emoji.id).await?;
    Ok(json(wire::GuildEmoji::new(&emoji, user.as_ref())))
}

/// `DELETE /guilds/{guild_id}/emojis/{emoji_id}`.
pub async fn delete_emoji(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((guild_id, emoji_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    state
        .chat
        .delete_emoji(&auth.user, guild_id, emoji_id, &files(&state))
        .await?;
    Ok(no_content())
}

/// `GET /guilds/{guild_id}/stickers`.
pub async fn list_stickers(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let stickers = state.chat.stickers_of(&auth.user, guild_id).await?;
    let out: Vec<_> = stickers
        .iter()
        .map(|(s, u)| wire::Sticker::new(s, u.as_ref()))
        .collect();
    Ok(json(out))
}

/// `GET /guilds/{guild_id}/stickers/{sticker_id}`.
pub async fn get_sticker(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((guild_id, sticker_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    let (sticker, user) = state.chat.sticker_of(&auth.user, Some(guild_id), sticker_id).await?;
    Ok(json(wire::Sticker::new(&sticker, user.as_ref())))
}

/// `GET /stickers/{sticker_id}`.
pub async fn sticker(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(sticker_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let (sticker, _) = state.chat.sticker_of(&auth.user, None, sticker_id).await?;
    Ok(json(wire::Sticker::new(&sticker, None)))
}

/// `POST /guilds/{guild_id}/stickers`: multipart with `name`, `description`, `tags` and `file`.
pub async fn create_sticker(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild_id): ApiPath<Snowflake>,
    request: Request,
) -> Result<Response, ApiError> {
    let input = read_sticker(&state, request).await?;
    let sticker = state
        .chat
        .create_sticker(&auth.user, guild_id, input, &files(&state))
        .await?;
    Ok(created(wire::Sticker::new(&sticker, Some(&auth.user))))
}

async fn read_sticker(state: &AppState, request: Request) -> Result<StickerInput, ApiError> {
    use axum::extract::FromRequest;
    let bad = |e: axum::extract::multipart::MultipartError| ApiError::invalid("_body", e.body_text());
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|e| ApiError::invalid("_body", e.body_text()))?;
    let mut input = StickerInput::default();
    let mut file = None;
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            // Read at most one byte past the limit: a larger file is refused without being held whole.
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(bad)? {
                bytes.extend_from_slice(&chunk);
                if bytes.len() > MAX_STICKER_BYTES {
                    return Err(ChatError::AssetTooLarge(MAX_STICKER_BYTES / 1024).into());
                }
            }
            file = Some(bytes);
            continue;
        }
        let text = field.text().await.map_err(bad)?;
        match name.as_str() {
            "name" => input.name = text,
            "description" => input.description = text,
            "tags" => input.tags = text,
            _ => {}
        }
    }
    input.file = file.ok_or_else(|| ApiError::invalid("file", "This field is required"))?;
    Ok(input)
}

/// `PATCH /guilds/{guild_id}/stickers/{sticker_id}`.
pub async fn update_sticker(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((guild_id, sticker_id)): ApiPath<(Snowflake, Snowflake)>,
    ApiJson(edit): ApiJson<StickerEdit>,
) -> Result<Response, ApiError> {
    let sticker = state
        .chat
        .update_sticker(&auth.user, guild_id, sticker_id, edit)
        .await?;
    Ok(json(wire::Sticker::new(&sticker, None)))
}

/// `DELETE /guilds/{guild_id}/stickers/{sticker_id}`.
pub async fn delete_sticker(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((guild_id, sticker_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    state
        .chat
        .delete_sticker(&auth.user, guild_id, sticker_id, &files(&state))
        .await?;
    Ok(no_content())
}

/// `GET /guilds/{guild_id}/soundboard-sounds`.
pub async fn list_sounds(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let sounds = state.chat.sounds_of(&auth.user, guild_id).await?;
    Ok(json(wire::SoundboardSounds {
        items: sounds
            .iter()
            .map(|(s, u)| wire::SoundboardSound::new(s, u.as_ref()))
            .collect(),
    }))
}

/// `GET /guilds/{guild_id}/soundboard-sounds/{sound_id}`.
pub async fn get_sound(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((guild_id, sound_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    let (sound, user) = state.chat.sound_of(&auth.user, guild_id, sound_id).await?;
    Ok(json(wire::SoundboardSound::new(&sound, user.as_ref())))
}

/// `POST /guilds/{guild_id}/soundboard-sounds`: `{name, sound: data URI, volume, emoji_id, emoji_name}`. The
/// sound is decoded by the DJ's pipeline first: MP3, Ogg or WAV by its bytes, at most 5.2 s.
pub async fn create_sound(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild_id): ApiPath<Snowflake>,
    ApiJson(fields): ApiJson<SoundFields>,
) -> Result<Response, ApiError> {
    state.chat.may_add_sound(&auth.user, guild_id).await?;
    let name = fields
        .name
        .clone()
        .ok_or_else(|| ApiError::invalid("name", "This field is required"))?;
    let uri = fields
        .sound
        .as_deref()
        .ok_or_else(|| ApiError::invalid("sound", "This field is required"))?;
    let bytes = decode_data_uri(uri, "sound", MAX_SOUND_BYTES)?;
    let (emoji_id, emoji_name) = sounds::emoji_fields(&fields)?;
    let clip = decode_clip(bytes.clone()).await?;
    let input = SoundInput {
        name,
        volume: fields.volume,
        emoji_id: emoji_id.flatten(),
        emoji_name: emoji_name.flatten(),
        bytes,
        content_type: clip.content_type.to_owned(),
        duration_ms: clip.duration.as_millis() as i64,
    };
    let sound = state
        .chat
        .create_sound(&auth.user, guild_id, input, &files(&state))
        .await?;
    Ok(created(wire::SoundboardSound::new(&sound, Some(&auth.user))))
}

/// Decodes a sound on a blocking thread; a refusal names the reason.
async fn decode_clip(bytes: Vec<u8>) -> Result<crate::music::pipeline::clip::Clip, ApiError> {
    let max = std::time::Duration::from_millis(MAX_SOUND_MS as u64);
    crate::music::pipeline::clip::decode_off_thread(bytes, max)
        .await
        .map_err(|e| ChatError::InvalidAsset("sound".into(), e.to_string()).into())
}

/// `PATCH /guilds/{guild_id}/soundboard-sounds/{sound_id}`.
pub async fn update_sound(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((guild_id, sound_id)): ApiPath<(Snowflake, Snowflake)>,
    ApiJson(fields): ApiJson<SoundFields>,
) -> Result<Response, ApiError> {
    let sound = state.chat.update_sound(&auth.user, guild_id, sound_id, fields).await?;
    Ok(json(wire::SoundboardSound::new(&sound, None)))
}

/// `DELETE /guilds/{guild_id}/soundboard-sounds/{sound_id}`.
pub async fn delete_sound(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((guild_id, sound_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    state
        .chat
        .delete_sound(&auth.user, guild_id, sound_id, &files(&state))
        .await?;
    Ok(no_content())
}

/// `POST /channels/{channel_id}/send-soundboard-sound`.
#[derive(Debug, Deserialize)]
pub struct SendSound {
    /// The sound.
    #[serde(deserialize_with = "crate::chat::ids::deserialize")]
    sound_id: Snowflake,
}

/// `POST /channels/{channel_id}/send-soundboard-sound`: the DJ plays the sound into the voice room, where the
/// caller must be; everyone who can see the room gets VOICE_CHANNEL_EFFECT_SEND.
pub async fn send_sound(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
    ApiJson(input): ApiJson<SendSound>,
) -> Result<Response, ApiError> {
    let sound = state
        .chat
        .playable_sound(&auth.user, channel_id, input.sound_id)
        .await?;
    let dj = state.dj.get().ok_or(ApiError::Music(MusicError::Off))?;
    dj.sound_turn(auth.user.id, channel_id).await?;
    let bytes = tokio::fs::read(files(&state).path(sound.id))
        .await
        .map_err(|_| ApiError::Chat(ChatError::UnknownSound))?;
    let clip = decode_clip(bytes).await?;
    dj.play_sound(channel_id, clip.pcm, sound.volume as f32).await?;
    state.chat.sound_played(&auth.user, channel_id, &sound).await?;
    Ok(no_content())
}

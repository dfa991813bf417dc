//! `/channels/{voice_channel_id}/music`: the DJ's player in a voice room, for the web client's now-playing bar.
//! `GET` reads its state; `POST` carries out one action with the rules of the chat commands (see
//! [`crate::music::dj::DjHandle::act`]). Both answer with the state, the shape `SPOT_MUSIC_UPDATE` carries.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::json;
use crate::app::AppState;
use crate::chat::ChatError;
use crate::http::auth::Authenticated;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, ApiPath};
use crate::music::commands::{Command, LoopMode};
use crate::music::dj::{MusicError, state_json};
use crate::store::{ChannelKind, Snowflake};

/// The body of `POST …/music`.
#[derive(Debug, Deserialize)]
pub struct MusicAction {
    /// `pause`, `resume`, `skip`, `stop`, `volume`, `seek`, `loop` or `shuffle`.
    action: String,
    /// For `volume`: 0–200 percent.
    volume: Option<i64>,
    /// For `seek`: where to jump, in milliseconds.
    position_ms: Option<i64>,
    /// For `loop`: `off`, `track` or `queue`.
    mode: Option<String>,
}

/// `GET /channels/{id}/music`.
pub async fn get(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    voice_room(&state, &auth, channel_id).await?;
    Ok(json(match state.dj.get() {
        Some(dj) => dj.state(channel_id).await,
        None => state_json(channel_id, None),
    }))
}

/// `POST /channels/{id}/music`.
pub async fn act(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
    ApiJson(body): ApiJson<MusicAction>,
) -> Result<Response, ApiError> {
    voice_room(&state, &auth, channel_id).await?;
    let command = command(&body)?;
    let dj = state.dj.get().ok_or(ApiError::Music(MusicError::Off))?;
    Ok(json(dj.act(auth.user.id, channel_id, command).await?))
}

/// Checks that the caller can view the channel (404/403 as for `GET /channels/{id}`) and that it is a voice room.
async fn voice_room(state: &AppState, auth: &Authenticated, channel_id: Snowflake) -> Result<(), ApiError> {
    let access = state.chat.access(&auth.user, channel_id).await?;
    if access.channel.kind != ChannelKind::Voice {
        return Err(ApiError::Chat(ChatError::NotVoice));
    }
    Ok(())
}

/// The chat command an action stands for; bad values are field errors.
fn command(body: &MusicAction) -> Result<Command, ApiError> {
    Ok(match body.action.as_str() {
        "pause" => Command::Pause,
        "resume" => Command::Resume,
        "skip" => Command::Skip,
        "stop" => Command::Stop,
        "shuffle" => Command::Shuffle,
        "volume" => match body.volume.map(u16::try_from) {
            Some(Ok(volume)) if volume <= 200 => Command::Volume(volume),
            _ => return Err(ApiError::invalid("volume", "Must be a whole number from 0 to 200.")),
        },
        "seek" => match body.position_ms.map(u64::try_from) {
            Some(Ok(ms)) => Command::Seek(std::time::Duration::from_millis(ms)),
            _ => {
                return Err(ApiError::invalid(
                    "position_ms",
                    "Must be a position in milliseconds, 0 or more.",
                ));
            }
        },
        "loop" => match body.mode.as_deref() {
            Some("off") => Command::Loop(LoopMode::Off),
            Some("track") => Command::Loop(LoopMode::Track),
            Some("queue") => Command::Loop(LoopMode::Queue),
            _ => return Err(ApiError::invalid("mode", "Must be one of off, track, queue.")),
        },
        _ => {
            return Err(ApiError::invalid(
                "action",
                "Must be one of pause, resume, skip, stop, volume, seek, loop, shuffle.",
            ));
        }
    })
}

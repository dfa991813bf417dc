//! [`VoiceError`]: why a voice action was refused or failed.

use thiserror::Error;

use crate::chat::ChatError;

/// Why a voice action was refused or failed.
#[derive(Debug, Error)]
pub enum VoiceError {
    /// The channel is not a voice channel of the home space.
    #[error("not a voice channel")]
    NotVoiceChannel,
    /// The user lacks a permission (CONNECT to join; MUTE/DEAFEN/MOVE_MEMBERS to moderate).
    #[error("missing permissions")]
    MissingPermissions,
    /// The room has `voice.max_room_size` people already.
    #[error("the voice channel is full")]
    RoomFull,
    /// More voice state updates than `voice.state_updates_per_minute`.
    #[error("too many voice state updates")]
    RateLimited,
    /// The target of a moderation action is not in voice.
    #[error("Target user is not connected to voice.")]
    NotConnected,
    /// A chat lookup failed (unknown channel or guild, store error).
    #[error(transparent)]
    Chat(#[from] ChatError),
    /// The UDP socket of the embedded SFU could not be bound.
    #[error("cannot bind the voice UDP port: {0}")]
    Bind(std::io::Error),
    /// A LiveKit token could not be made.
    #[error(transparent)]
    Livekit(#[from] super::livekit::LivekitError),
}

impl From<VoiceError> for ChatError {
    /// REST answers voice refusals with chat's Discord error codes.
    fn from(error: VoiceError) -> Self {
        match error {
            VoiceError::Chat(e) => e,
            VoiceError::NotVoiceChannel => ChatError::invalid("channel_id", "Not a voice channel."),
            VoiceError::MissingPermissions => ChatError::MissingPermissions,
            VoiceError::RoomFull => ChatError::invalid("channel_id", "The voice channel is full."),
            VoiceError::RateLimited => ChatError::invalid("channel_id", "Too many voice state updates."),
            VoiceError::NotConnected => ChatError::invalid("channel_id", "Target user is not connected to voice."),
            VoiceError::Bind(e) => ChatError::Store(crate::store::StoreError::Io(e)),
            VoiceError::Livekit(e) => ChatError::Store(crate::store::StoreError::Io(std::io::Error::other(e))),
        }
    }
}

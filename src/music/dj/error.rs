//! [`MusicError`]: why the DJ refused a command, the same refusal whether it came from chat or from the web
//! client's now-playing bar. Its text is what the DJ says in chat; `http::error` maps each variant to a status
//! and a Discord error code for the API.

use std::time::Duration;

use crate::music::queue::QueueError;

/// A refused DJ command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MusicError {
    /// The member gave too many commands lately; they may try again after the wait.
    #[error("Slow down a little — try again in a few seconds.")]
    SlowDown(Duration),
    /// A DJ-only command from someone without the DJ role (its name) or admin rights.
    #[error("That needs the **{0}** role.")]
    NeedsDj(String),
    /// The member is not in the voice room the command is about.
    #[error("Join the voice room I am playing in first.")]
    NotInRoom,
    /// The room has no player (nothing was played there, or the DJ left). The command prefix, for the hint.
    #[error("Nothing is playing in your room. Start with `{0}play`.")]
    NothingPlaying(String),
    /// A plain skip of someone else's track. The command prefix, for the hint.
    #[error("Only who asked for it (or a DJ) can skip it; try `{0}voteskip`.")]
    NotYours(String),
    /// A seek past the end of the track.
    #[error("That is past the end of the track.")]
    PastTheEnd,
    /// A queue position that does not exist, or a full queue.
    #[error("{0}")]
    Queue(#[from] QueueError),
    /// The DJ could not get into the room (why, in words).
    #[error("{0}")]
    Unavailable(String),
    /// The DJ is turned off on this server (`music.enabled = false`).
    #[error("The DJ is turned off on this server.")]
    Off,
}

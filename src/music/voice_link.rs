//! What the DJ needs from voice: which room a member is in, how many are listening there, and a way to join a
//! room and send audio into it. The voice module implements [`VoiceLink`]; until it is wired in, [`NoVoice`]
//! answers that nobody is in a room, and the DJ says so in chat.

use super::player::AudioSink;
use crate::store::Snowflake;

/// The DJ's view of voice rooms.
pub trait VoiceLink: Send + Sync + 'static {
    /// The voice channel `user` is in.
    fn room_of(&self, user: Snowflake) -> Option<Snowflake>;
    /// How many members (not the DJ) are in `room`.
    fn listeners(&self, room: Snowflake, dj: Snowflake) -> usize;
    /// Joins `room` as `dj`; audio sent to the returned sink is heard there.
    fn join(&self, dj: Snowflake, room: Snowflake) -> Result<Box<dyn AudioSink>, String>;
    /// Leaves `room`.
    fn leave(&self, dj: Snowflake, room: Snowflake);
}

/// No voice rooms yet.
pub struct NoVoice;

impl VoiceLink for NoVoice {
    fn room_of(&self, _user: Snowflake) -> Option<Snowflake> {
        None
    }

    fn listeners(&self, _room: Snowflake, _dj: Snowflake) -> usize {
        0
    }

    fn join(&self, _dj: Snowflake, _room: Snowflake) -> Result<Box<dyn AudioSink>, String> {
        Err("voice rooms are not available on this server yet".into())
    }

    fn leave(&self, _dj: Snowflake, _room: Snowflake) {}
}

impl AudioSink for Box<dyn AudioSink> {
    fn send(&mut self, packet: &[u8]) -> bool {
        (**self).send(packet)
    }
}

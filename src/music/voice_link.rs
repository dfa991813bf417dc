//! What the DJ needs from voice: which room a member is in, how many are listening there, and a way to join a
//! room and send audio into it. [`super::voice_peer::SfuRooms`] implements it with spot's voice states and
//! embedded SFU.

use super::player::AudioSink;
use crate::store::{Snowflake, User};

/// A join in progress: the sink the room hears, or why not.
pub type Joining<'a> = std::pin::Pin<Box<dyn Future<Output = Result<Box<dyn AudioSink>, String>> + Send + 'a>>;

/// The DJ's view of voice rooms.
pub trait VoiceLink: Send + Sync + 'static {
    /// The voice channel `user` is in.
    fn room_of(&self, user: Snowflake) -> Option<Snowflake>;
    /// How many members (not the DJ) are in `room`.
    fn listeners(&self, room: Snowflake, dj: Snowflake) -> usize;
    /// Joins `room` as `dj`; audio sent to the sink is heard there.
    fn join<'a>(&'a self, dj: &'a User, room: Snowflake) -> Joining<'a>;
    /// Leaves `room`.
    fn leave(&self, dj: &User, room: Snowflake);
}

impl AudioSink for Box<dyn AudioSink> {
    fn send(&mut self, packet: &[u8]) -> bool {
        (**self).send(packet)
    }
}

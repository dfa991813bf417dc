//! What the DJ needs from voice: which room a member is in, how many are listening there, and a way to join a
//! room and send audio into it. [`RoomsOnly`] answers the first two from spot's voice states; joining (the DJ
//! as a participant of the SFU) is the part still to build, and the DJ says so in chat.

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

impl AudioSink for Box<dyn AudioSink> {
    fn send(&mut self, packet: &[u8]) -> bool {
        (**self).send(packet)
    }
}

/// The DJ's view of spot's own voice rooms: who is where comes from the voice states. Sending audio into a room
/// needs the DJ to connect as a participant of the SFU, which is not built yet; until then joining says so.
pub struct RoomsOnly {
    /// The voice rooms.
    pub voice: crate::voice::Voice,
}

impl VoiceLink for RoomsOnly {
    fn room_of(&self, user: Snowflake) -> Option<Snowflake> {
        self.voice.state_of(user).map(|s| s.channel_id)
    }

    fn listeners(&self, room: Snowflake, dj: Snowflake) -> usize {
        let dj_there = self.voice.state_of(dj).is_some_and(|s| s.channel_id == room);
        self.voice.occupancy(room) - usize::from(dj_there)
    }

    fn join(&self, _dj: Snowflake, _room: Snowflake) -> Result<Box<dyn AudioSink>, String> {
        Err("I cannot play into voice rooms yet: that part of the DJ is still being built".into())
    }

    fn leave(&self, _dj: Snowflake, _room: Snowflake) {}
}

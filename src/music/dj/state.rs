//! What the web client's now-playing bar sees and does: [`DjHandle`] (held in `AppState`) reads a room's state
//! as JSON and carries out the bar's actions through the same rules as chat commands; every change is published
//! to the hub as `SPOT_MUSIC_UPDATE` with the same JSON, to the sessions that can view the voice channel.
//!
//! The event goes to sessions that asked for the GUILD_VOICE_STATES intent (browsers ask for every intent).
//! Discord libraries ignore dispatch names they do not know (discord.py logs and drops them; discord.js only
//! emits them as `raw`), so bots that ask for voice states get it harmlessly.

use std::sync::Arc;

use serde_json::{Value, json};

use super::error::MusicError;
use super::room::Room;
use super::text::cover_path;
use super::{Dj, Snowflake};
use crate::hub::{Audience, Event, intents};
use crate::music::commands::{Command, LoopMode};
use crate::music::queue::Entry;

/// Upcoming tracks listed in the state.
const LISTED: usize = 10;

/// The DJ as the HTTP API sees it. Cheap to clone.
#[derive(Clone)]
pub struct DjHandle(pub(super) Arc<Dj>);

impl DjHandle {
    /// The state of the player in `voice_room` (idle when there is none).
    pub async fn state(&self, voice_room: Snowflake) -> Value {
        self.0.state(voice_room).await
    }

    /// Carries out `command` for `user` in `voice_room`, with the rules of the chat commands: the per-member
    /// rate limit, the DJ role for DJ-only commands, and the member must be in that room. Returns the new state.
    pub async fn act(&self, user: Snowflake, voice_room: Snowflake, command: Command) -> Result<Value, MusicError> {
        let dj = &self.0;
        dj.within_limit(user).await?;
        dj.allowed(user, &command).await?;
        if dj.parts.voice.room_of(user) != Some(voice_room) {
            return Err(MusicError::NotInRoom);
        }
        dj.run(user, voice_room, None, command).await?;
        Ok(dj.state(voice_room).await)
    }
}

impl Dj {
    /// The room's state as JSON.
    pub(super) async fn state(&self, voice_room: Snowflake) -> Value {
        let rooms = self.rooms.lock().await;
        state_json(voice_room, rooms.get(&voice_room))
    }

    /// Tells the sessions that can view the room what its player is doing now.
    pub(super) async fn publish(&self, voice_room: Snowflake) {
        let state = self.state(voice_room).await;
        // A group DM's call: its people, whatever their intents.
        let people = self.parts.store.dm_recipient_ids(voice_room).await.unwrap_or_default();
        let (audience, intent) = if people.is_empty() {
            (Audience::Channel(voice_room), intents::GUILD_VOICE_STATES)
        } else {
            (Audience::Users(people), 0)
        };
        let event = Event::new("SPOT_MUSIC_UPDATE", &state, audience, intent);
        self.parts.hub.publish(event);
    }
}

fn ms(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn requester(entry: &Entry) -> Value {
    json!({"id": entry.requested_by.id.to_string(), "username": entry.requested_by.username})
}

/// The state of a room's player, the one shape of `GET …/music`, the answer to `POST …/music` and
/// `SPOT_MUSIC_UPDATE`.
pub fn state_json(voice_room: Snowflake, room: Option<&Room>) -> Value {
    let Some(room) = room else {
        return json!({
            "channel_id": voice_room.to_string(),
            "text_channel_id": null,
            "playing": null,
            "paused": false,
            "volume": 100,
            "loop": "off",
            "queue": [],
            "queue_length": 0,
        });
    };
    let playing = room.current.as_ref().map(|(_, entry)| {
        let position = entry
            .duration
            .map_or(room.clock.position(), |length| room.clock.position().min(length));
        json!({
            "title": entry.title,
            "artist": entry.artist,
            "album": entry.album,
            "duration_ms": entry.duration.map(ms),
            "position_ms": ms(position),
            "requested_by": requester(entry),
            "cover_url": entry.cover.map(cover_path),
            "live": entry.duration.is_none() && matches!(entry.source, crate::music::queue::Source::Url(_)),
        })
    });
    let queue: Vec<Value> = room
        .upcoming()
        .take(LISTED)
        .map(|entry| {
            json!({
                "title": entry.title,
                "artist": entry.artist,
                "duration_ms": entry.duration.map(ms),
                "requested_by": requester(entry),
            })
        })
        .collect();
    json!({
        "channel_id": voice_room.to_string(),
        "text_channel_id": room.text_channel.to_string(),
        "playing": playing,
        "paused": room.paused,
        "volume": room.volume,
        "loop": match room.queue.loop_mode {
            LoopMode::Off => "off",
            LoopMode::Track => "track",
            LoopMode::Queue => "queue",
        },
        "queue": queue,
        "queue_length": room.upcoming().count(),
    })
}

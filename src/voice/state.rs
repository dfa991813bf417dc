//! One member's voice state (Discord's Voice State object) and the in-memory table of them. A voice room is
//! ephemeral: nothing here is stored, and a restart empties every room.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::store::{Member, Snowflake};
use crate::wire;

/// Where one user is in voice, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceState {
    /// The guild.
    pub guild_id: Snowflake,
    /// The voice channel.
    pub channel_id: Snowflake,
    /// The member (as it was when they joined).
    pub member: Member,
    /// The gateway session that joined; only that session ending takes the user out.
    pub session_id: String,
    /// Server-muted (MUTE_MEMBERS): their audio is not forwarded.
    pub mute: bool,
    /// Server-deafened (DEAFEN_MEMBERS): they receive no audio.
    pub deaf: bool,
    /// Muted themselves.
    pub self_mute: bool,
    /// Deafened themselves.
    pub self_deaf: bool,
    /// Camera on.
    pub self_video: bool,
    /// Sharing their screen ("Go Live").
    pub self_stream: bool,
}

impl VoiceState {
    /// The Discord Voice State object.
    pub fn to_json(&self) -> Value {
        let mut member = wire::member(&self.member);
        member["mute"] = json!(self.mute);
        member["deaf"] = json!(self.deaf);
        json!({
            "guild_id": wire::id(self.guild_id),
            "channel_id": wire::id(self.channel_id),
            "user_id": wire::id(self.member.user.id),
            "member": member,
            "session_id": self.session_id,
            "deaf": self.deaf,
            "mute": self.mute,
            "self_deaf": self.self_deaf,
            "self_mute": self.self_mute,
            "self_stream": self.self_stream,
            "self_video": self.self_video,
            "suppress": false,
            "request_to_speak_timestamp": null,
        })
    }

    /// The object announcing that the user left voice (`channel_id` null).
    pub fn left_json(&self) -> Value {
        let mut value = self.to_json();
        value["channel_id"] = Value::Null;
        for flag in ["self_stream", "self_video"] {
            value[flag] = json!(false);
        }
        value
    }
}

/// Everyone in voice, by user id (a user is in at most one room, as on Discord).
#[derive(Debug, Default)]
pub struct StateTable {
    by_user: HashMap<Snowflake, VoiceState>,
}

impl StateTable {
    /// The user's state.
    pub fn get(&self, user_id: Snowflake) -> Option<&VoiceState> {
        self.by_user.get(&user_id)
    }

    /// Replaces the user's state; returns the previous one.
    pub fn put(&mut self, state: VoiceState) -> Option<VoiceState> {
        self.by_user.insert(state.member.user.id, state)
    }

    /// Removes the user's state.
    pub fn remove(&mut self, user_id: Snowflake) -> Option<VoiceState> {
        self.by_user.remove(&user_id)
    }

    /// How many people are in a channel.
    pub fn occupancy(&self, channel_id: Snowflake) -> usize {
        self.by_user.values().filter(|s| s.channel_id == channel_id).count()
    }

    /// Every state, for GUILD_CREATE.
    pub fn all(&self) -> impl Iterator<Item = &VoiceState> {
        self.by_user.values()
    }
}

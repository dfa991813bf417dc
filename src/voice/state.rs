//! One member's voice state (Discord's Voice State object) and the in-memory table of them. A voice room is
//! ephemeral: nothing here is stored, and a restart empties every room.

use std::collections::HashMap;

use crate::hub::Audience;
use crate::store::{Member, Snowflake, User};
use crate::wire;

/// Where one user is in voice, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceState {
    /// The guild (`None`: a call in a DM or group DM).
    pub guild_id: Option<Snowflake>,
    /// The voice channel, DM or group DM.
    pub channel_id: Snowflake,
    /// The user.
    pub user: User,
    /// The member (as it was when they joined); `None` in a DM call.
    pub member: Option<Member>,
    /// Who hears about this state: those who see the room, or the people in the DM.
    pub audience: Audience,
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
    pub fn to_wire(&self) -> wire::VoiceState {
        let member = self.member.as_ref().map(|m| {
            let mut member = wire::Member::from(m);
            member.info.mute = self.mute;
            member.info.deaf = self.deaf;
            member
        });
        wire::VoiceState {
            guild_id: self.guild_id.map(wire::Id),
            channel_id: Some(wire::Id(self.channel_id)),
            user_id: wire::Id(self.user.id),
            member,
            session_id: self.session_id.clone(),
            deaf: self.deaf,
            mute: self.mute,
            self_deaf: self.self_deaf,
            self_mute: self.self_mute,
            self_stream: self.self_stream,
            self_video: self.self_video,
            suppress: false,
            request_to_speak_timestamp: None,
        }
    }

    /// The object announcing that the user left voice (`channel_id` null).
    pub fn left(&self) -> wire::VoiceState {
        wire::VoiceState {
            channel_id: None,
            self_stream: false,
            self_video: false,
            ..self.to_wire()
        }
    }

    /// The name shown for them in the room.
    pub fn display_name(&self) -> String {
        self.member
            .as_ref()
            .and_then(|m| m.nick.clone())
            .or_else(|| self.user.global_name.clone())
            .unwrap_or_else(|| self.user.username.clone())
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
        self.by_user.insert(state.user.id, state)
    }

    /// Removes the user's state.
    pub fn remove(&mut self, user_id: Snowflake) -> Option<VoiceState> {
        self.by_user.remove(&user_id)
    }

    /// Who is in a channel.
    pub fn in_room(&self, channel_id: Snowflake) -> Vec<Snowflake> {
        self.by_user
            .values()
            .filter(|s| s.channel_id == channel_id)
            .map(|s| s.user.id)
            .collect()
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

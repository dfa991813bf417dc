//! Conversations outside the space: direct messages (Discord type 1) and group DMs (type 3), the people in
//! them, blocks (Discord's relationship type 2), the DM setting, and calls ringing in them.

use serde::Serialize;
use ts_rs::TS;

use super::{Id, User};
use crate::clock::iso8601;
use crate::store;

/// A DM or group DM as Discord sends it: no guild, its recipients (everyone but the reader).
#[derive(Debug, Clone, Serialize, TS)]
pub struct PrivateChannel {
    /// Snowflake.
    pub id: Id,
    /// 1 DM, 3 group DM.
    #[serde(rename = "type")]
    pub kind: i64,
    /// Newest message, if any.
    pub last_message_id: Option<Id>,
    /// Channel flags (none).
    pub flags: i64,
    /// The other people in it (not the reader).
    pub recipients: Vec<User>,
    /// When a message was last pinned.
    pub last_pin_timestamp: Option<String>,
    /// Group DMs: the name (`null`: shown as the recipients' names).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<Option<String>>,
    /// Group DMs: icon hash (served at `/channel-icons/{id}/{hash}.png`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub icon: Option<Option<String>>,
    /// Group DMs: the owner, who may remove people.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub owner_id: Option<Id>,
}

impl PrivateChannel {
    /// The channel as `reader` sees it, given everyone in it.
    pub fn new(channel: &store::Channel, people: &[store::User], reader: store::Snowflake) -> Self {
        let group = channel.kind == store::ChannelKind::GroupDm;
        Self {
            id: Id(channel.id),
            kind: channel.kind.code(),
            last_message_id: channel.last_message_id.map(Id),
            flags: 0,
            recipients: people.iter().filter(|u| u.id != reader).map(User::from).collect(),
            last_pin_timestamp: channel.last_pin_timestamp.map(iso8601),
            name: group.then(|| Some(channel.name.clone()).filter(|n| !n.is_empty())),
            icon: group.then(|| channel.icon.clone()),
            owner_id: if group { channel.owner_id.map(Id) } else { None },
        }
    }
}

/// Someone joined or left a group DM (`CHANNEL_RECIPIENT_ADD` / `_REMOVE`).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChannelRecipient {
    /// The group DM.
    pub channel_id: Id,
    /// Who.
    pub user: User,
}

/// A relationship: spot has only blocks (Discord type 2).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Relationship {
    /// The other user's id.
    pub id: Id,
    /// 2: blocked.
    #[serde(rename = "type")]
    pub kind: i64,
    /// The other user.
    pub user: User,
    /// No nicknames.
    pub nickname: Option<String>,
    /// When it began.
    pub since: String,
}

/// `RELATIONSHIP_REMOVE`: a block ended.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RelationshipRemove {
    /// The other user's id.
    pub id: Id,
    /// 2: blocked.
    #[serde(rename = "type")]
    pub kind: i64,
}

/// The settings spot keeps per user (Discord's names), in READY and `/users/@me/settings`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UserSettings {
    /// Direct messages from people in the space are refused (Discord's "Allow direct messages from server
    /// members" turned off). Conversations the user started stay open.
    pub default_guilds_restricted: bool,
}

/// A call in a DM or group DM (`CALL_CREATE` / `CALL_UPDATE`).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Call {
    /// The DM or group DM.
    pub channel_id: Id,
    /// The "started a call" message.
    pub message_id: Id,
    /// Who is being rung.
    pub ringing: Vec<Id>,
    /// Always `local`: the call runs on this server.
    pub region: &'static str,
    /// Who is in the call now.
    pub voice_states: Vec<super::VoiceState>,
}

/// `CALL_DELETE`: the call ended (everyone left).
#[derive(Debug, Clone, Serialize, TS)]
pub struct CallDelete {
    /// The DM or group DM.
    pub channel_id: Id,
}

//! The `d` of the small dispatches: deletions, reactions, typing, pins, roles, members leaving, thread members,
//! read markers. (Messages, channels and guilds are whole objects from the other files.) `guild_id` is left out
//! for conversations outside a guild, as Discord does.

use serde::Serialize;
use ts_rs::TS;

use super::{Channel, Id, Member, Role, User};

/// MESSAGE_DELETE.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MessageDelete {
    /// The message.
    pub id: Id,
    /// Its channel.
    pub channel_id: Id,
    /// Its guild.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub guild_id: Option<Id>,
}

/// MESSAGE_DELETE_BULK.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MessageDeleteBulk {
    /// The messages.
    pub ids: Vec<Id>,
    /// Their channel.
    pub channel_id: Id,
    /// Its guild.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub guild_id: Option<Id>,
}

/// An emoji as reaction events name it (`id` null for Unicode emoji).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReactionEmoji {
    /// Custom emoji id.
    pub id: Option<Id>,
    /// The emoji (or the custom emoji's name).
    pub name: String,
    /// A custom emoji that moves (custom emoji only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub animated: Option<bool>,
}

impl ReactionEmoji {
    /// A reaction's emoji as stored: a unicode emoji, or a custom emoji's id with its name.
    pub fn stored(emoji: &str, custom: Option<&(String, bool)>) -> Self {
        match custom {
            Some((name, animated)) => Self {
                id: emoji.parse().ok().map(Id),
                name: name.clone(),
                animated: Some(*animated),
            },
            None => Self {
                id: None,
                name: emoji.to_owned(),
                animated: None,
            },
        }
    }
}

/// MESSAGE_REACTION_ADD and MESSAGE_REACTION_REMOVE.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReactionEvent {
    /// Who reacted.
    pub user_id: Id,
    /// The channel.
    pub channel_id: Id,
    /// The message.
    pub message_id: Id,
    /// The guild.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub guild_id: Option<Id>,
    /// The reacting member (ADD in a guild).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub member: Option<Member>,
    /// The emoji.
    pub emoji: ReactionEmoji,
    /// The message's author (ADD).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub message_author_id: Option<Id>,
    /// A super reaction (never).
    pub burst: bool,
    /// Super reaction colours (ADD; none).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub burst_colors: Option<Vec<String>>,
    /// 0: normal, 1: burst.
    #[serde(rename = "type")]
    pub kind: u8,
}

/// MESSAGE_REACTION_REMOVE_ALL and MESSAGE_REACTION_REMOVE_EMOJI (with `emoji`).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReactionsCleared {
    /// The channel.
    pub channel_id: Id,
    /// The message.
    pub message_id: Id,
    /// The guild.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub guild_id: Option<Id>,
    /// The emoji whose reactions went (REMOVE_EMOJI).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub emoji: Option<ReactionEmoji>,
}

/// TYPING_START.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TypingStart {
    /// The channel.
    pub channel_id: Id,
    /// The guild.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub guild_id: Option<Id>,
    /// Who is typing.
    pub user_id: Id,
    /// Unix time in seconds.
    pub timestamp: i64,
    /// The member typing (in a guild).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub member: Option<Member>,
}

/// CHANNEL_PINS_UPDATE.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChannelPinsUpdate {
    /// The guild.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub guild_id: Option<Id>,
    /// The channel.
    pub channel_id: Id,
    /// When the newest pin was pinned (ISO 8601).
    pub last_pin_timestamp: Option<String>,
}

/// MESSAGE_ACK: the user read a channel up to a message (their own sessions only).
#[derive(Debug, Clone, Serialize, TS)]
pub struct MessageAck {
    /// The channel.
    pub channel_id: Id,
    /// The last message read.
    pub message_id: Id,
    /// Format version (1).
    pub version: u8,
}

/// GUILD_ROLE_CREATE and GUILD_ROLE_UPDATE.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GuildRoleEvent {
    /// The guild.
    pub guild_id: Id,
    /// The role as it is now.
    pub role: Role,
}

/// GUILD_ROLE_DELETE.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GuildRoleDelete {
    /// The guild.
    pub guild_id: Id,
    /// The role that went.
    pub role_id: Id,
}

/// GUILD_MEMBER_REMOVE.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GuildMemberRemove {
    /// The guild.
    pub guild_id: Id,
    /// Who left or was removed.
    pub user: User,
}

/// A thread member object.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ThreadMember {
    /// The thread.
    pub id: Id,
    /// The member.
    pub user_id: Id,
    /// When they joined the thread (ISO 8601).
    pub join_timestamp: String,
    /// Notification flags (none).
    pub flags: i32,
}

/// THREAD_MEMBERS_UPDATE.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ThreadMembersUpdate {
    /// The thread.
    pub id: Id,
    /// Its guild.
    pub guild_id: Id,
    /// How many members it has now.
    pub member_count: usize,
    /// Who joined.
    pub added_members: Vec<ThreadMember>,
    /// Who left.
    pub removed_member_ids: Vec<Id>,
}

/// THREAD_CREATE: the thread, and for its creator that they are a member.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ThreadCreate {
    /// The thread channel.
    #[serde(flatten)]
    #[ts(flatten)]
    pub thread: Channel,
    /// Set when the thread was just made.
    pub newly_created: bool,
    /// The creator's thread membership.
    pub member: ThreadMember,
}

//! Channels and threads. One struct for every kind: fields a kind does not have are left out, fields it has
//! without a value are `null`, as on Discord.

use serde::Serialize;
use ts_rs::TS;

use super::Id;
use crate::clock::iso8601;
use crate::store::{self, ChannelKind};

/// A permission overwrite.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Overwrite {
    /// Role or user id.
    pub id: Id,
    /// 0 role, 1 member.
    #[serde(rename = "type")]
    pub kind: i64,
    /// Allowed bits (decimal string).
    pub allow: String,
    /// Denied bits (decimal string).
    pub deny: String,
}

/// A thread's state.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ThreadMetadata {
    /// Archived (read-only until unarchived).
    pub archived: bool,
    /// Minutes of inactivity before archiving.
    pub auto_archive_duration: i64,
    /// When the archive state last changed.
    pub archive_timestamp: String,
    /// Only managers may unarchive.
    pub locked: bool,
    /// Non-moderators may add others (private threads).
    pub invitable: bool,
    /// When the thread was created.
    pub create_timestamp: String,
}

/// A channel or thread object.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Channel {
    /// Snowflake.
    pub id: Id,
    /// Discord channel type.
    #[serde(rename = "type")]
    pub kind: i64,
    /// The guild.
    pub guild_id: Id,
    /// Name.
    pub name: String,
    /// Sort order (not for threads).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub position: Option<i64>,
    /// Category, or a thread's parent channel.
    pub parent_id: Option<Id>,
    /// Overwrites (not for threads).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub permission_overwrites: Option<Vec<Overwrite>>,
    /// Channel flags.
    pub flags: i64,
    /// Text channels: topic.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub topic: Option<Option<String>>,
    /// Text and voice channels: age-restricted.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub nsfw: Option<bool>,
    /// Textual channels: newest message.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_message_id: Option<Option<Id>>,
    /// Textual channels: slow mode seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub rate_limit_per_user: Option<i64>,
    /// Text channels: when a message was last pinned.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_pin_timestamp: Option<Option<String>>,
    /// Voice channels: bitrate.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub bitrate: Option<i64>,
    /// Voice channels: most people (0 = no limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub user_limit: Option<i64>,
    /// Voice channels: region (automatic).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub rtc_region: Option<Option<String>>,
    /// Threads: who started it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub owner_id: Option<Option<Id>>,
    /// Threads: messages in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub message_count: Option<i64>,
    /// Threads: members (not counted).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub member_count: Option<i64>,
    /// Threads: messages ever sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub total_message_sent: Option<i64>,
    /// Threads: archive state.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub thread_metadata: Option<ThreadMetadata>,
}

impl From<&store::Channel> for Channel {
    fn from(channel: &store::Channel) -> Self {
        let thread = channel.kind.is_thread();
        let mut value = Self {
            id: Id(channel.id),
            kind: channel.kind.code(),
            guild_id: Id(channel.guild_id.unwrap_or_default()),
            name: channel.name.clone(),
            position: (!thread).then_some(channel.position),
            parent_id: channel.parent_id.map(Id),
            permission_overwrites: (!thread).then(|| {
                channel
                    .overwrites
                    .iter()
                    .map(|o| Overwrite {
                        id: Id(o.target_id),
                        kind: o.kind,
                        allow: o.allow.to_string(),
                        deny: o.deny.to_string(),
                    })
                    .collect()
            }),
            flags: 0,
            topic: None,
            nsfw: None,
            last_message_id: None,
            rate_limit_per_user: None,
            last_pin_timestamp: None,
            bitrate: None,
            user_limit: None,
            rtc_region: None,
            owner_id: None,
            message_count: None,
            member_count: None,
            total_message_sent: None,
            thread_metadata: None,
        };
        let last_message_id = Some(channel.last_message_id.map(Id));
        match channel.kind {
            ChannelKind::Text => {
                value.topic = Some(channel.topic.clone());
                value.nsfw = Some(channel.nsfw);
                value.last_message_id = last_message_id;
                value.rate_limit_per_user = Some(channel.rate_limit_per_user);
                value.last_pin_timestamp = Some(channel.last_pin_timestamp.map(iso8601));
            }
            ChannelKind::Voice => {
                value.bitrate = Some(64000);
                value.user_limit = Some(0);
                value.rtc_region = Some(None);
                value.nsfw = Some(false);
                value.last_message_id = last_message_id;
                value.rate_limit_per_user = Some(0);
            }
            kind if kind.is_thread() => {
                value.owner_id = Some(channel.owner_id.map(Id));
                value.last_message_id = last_message_id;
                value.rate_limit_per_user = Some(channel.rate_limit_per_user);
                value.message_count = Some(channel.message_count);
                value.member_count = Some(0);
                value.total_message_sent = Some(channel.message_count);
                value.thread_metadata = Some(ThreadMetadata {
                    archived: channel.archived,
                    auto_archive_duration: channel.auto_archive_duration,
                    archive_timestamp: iso8601(channel.archive_timestamp.unwrap_or(channel.created_at)),
                    locked: channel.locked,
                    invitable: true,
                    create_timestamp: iso8601(channel.created_at),
                });
            }
            _ => {}
        }
        value
    }
}

//! Objects only REST answers carry: invites, search results, pins.

use serde::Serialize;
use ts_rs::TS;

use super::{Id, Message};

/// An invite (`GET /invites/{code}`, the admin's invite routes).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Invite {
    /// 0: an invite to a guild.
    #[serde(rename = "type")]
    pub kind: u8,
    /// The code in the link.
    pub code: String,
    /// The guild it leads to.
    pub guild_id: Id,
    /// The guild it leads to.
    pub guild: InviteGuild,
    /// The channel it opens on, if any.
    pub channel: Option<InviteChannel>,
    /// Times used.
    pub uses: i64,
    /// Most uses (0: no limit).
    pub max_uses: i64,
    /// Seconds it is valid for from creation (0: no expiry).
    pub max_age: i64,
    /// Temporary membership (never).
    pub temporary: bool,
    /// When it was made (ISO 8601).
    pub created_at: String,
    /// When it stops working (ISO 8601), if it does.
    pub expires_at: Option<String>,
}

/// The guild an invite leads to.
#[derive(Debug, Clone, Serialize, TS)]
pub struct InviteGuild {
    /// The guild.
    pub id: Id,
    /// Its name.
    pub name: String,
    /// Icon hash.
    pub icon: Option<String>,
    /// Features (none).
    pub features: Vec<String>,
}

/// The channel an invite opens on.
#[derive(Debug, Clone, Serialize, TS)]
pub struct InviteChannel {
    /// The channel.
    pub id: Id,
    /// Its name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: i64,
}

/// `GET /guilds/{id}/messages/search`: each hit is a list of one message, as Discord sends them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SearchResults {
    /// Hits in all.
    pub total_results: i64,
    /// This page of hits.
    pub messages: Vec<[Message; 1]>,
    /// Always empty.
    pub analytics_id: String,
    /// Whether the index is still being built (never).
    pub doing_deep_historical_index: bool,
}

/// One pinned message.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PinnedMessage {
    /// When it was pinned (ISO 8601).
    pub pinned_at: String,
    /// The message.
    pub message: Message,
}

/// `GET /channels/{id}/messages/pins`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Pins {
    /// The pins, newest first.
    pub items: Vec<PinnedMessage>,
    /// Whether there are more (never: all pins come at once).
    pub has_more: bool,
}

//! The objects only the gateway sends: READY, GUILD_CREATE, presences and voice states.

use std::collections::HashSet;

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use super::{
    Channel, CurrentUser, Guild, Id, Member, PrivateChannel, Relationship, User, UserGuildSettingsList, UserSettings,
};

/// READY: who the session is, and where to resume it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Ready {
    /// Gateway version (10).
    pub v: u8,
    /// The current user.
    pub user: CurrentUser,
    /// The guilds, unavailable until their GUILD_CREATE follows.
    pub guilds: Vec<UnavailableGuild>,
    /// For RESUME.
    pub session_id: String,
    /// Where to RESUME.
    pub resume_gateway_url: String,
    /// Always `normal`.
    pub session_type: &'static str,
    /// `[shard, shards]`.
    pub shard: [u32; 2],
    /// The bot's application (its id is the bot's user id).
    pub application: PartialApplication,
    /// Direct messages and group DMs (the open ones, most recent first); with `DEDUPE_USER_OBJECTS`, their
    /// recipients by id.
    pub private_channels: Vec<ReadyPrivateChannel>,
    /// With `DEDUPE_USER_OBJECTS`: DM recipients who are not members of the space (members come with
    /// GUILD_CREATE). Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub users: Option<Vec<User>>,
    /// The people the user blocked (spot has no friends list).
    pub relationships: Vec<Relationship>,
    /// Friends' presences (none: guild presences come with GUILD_CREATE).
    #[ts(type = "unknown[]")]
    pub presences: Vec<Value>,
    /// Join requests (none).
    #[ts(type = "unknown[]")]
    pub guild_join_requests: Vec<Value>,
    /// Voice regions (none: voice runs here).
    pub geo_ordered_rtc_regions: Vec<String>,
    /// The user's settings.
    pub user_settings: UserSettings,
    /// Notification settings for the space and for DMs.
    pub user_guild_settings: UserGuildSettingsList,
    /// Where the user stopped reading, per channel.
    pub read_state: ReadStates,
}

/// A DM or group DM in READY: whole, or with its recipients named by id (`DEDUPE_USER_OBJECTS`).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(untagged)]
pub enum ReadyPrivateChannel {
    /// As every other route sends it.
    Full(PrivateChannel),
    /// Recipients by id.
    Deduped(DedupedPrivateChannel),
}

/// A DM or group DM whose recipients are resolved from READY's `users` and GUILD_CREATE's members.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DedupedPrivateChannel {
    /// Snowflake.
    pub id: Id,
    /// 1 DM, 3 group DM.
    #[serde(rename = "type")]
    pub kind: i64,
    /// Newest message, if any.
    pub last_message_id: Option<Id>,
    /// Channel flags (none).
    pub flags: i64,
    /// The other people in it, by id.
    pub recipient_ids: Vec<Id>,
    /// When a message was last pinned.
    pub last_pin_timestamp: Option<String>,
    /// Group DMs: the name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<Option<String>>,
    /// Group DMs: icon hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub icon: Option<Option<String>>,
    /// Group DMs: the owner.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub owner_id: Option<Id>,
}

impl ReadyPrivateChannel {
    /// READY's DMs, deduplicated or not; with dedupe, also the recipients who are not in `members`.
    pub fn list(channels: Vec<PrivateChannel>, dedupe: bool, members: &HashSet<Id>) -> (Vec<Self>, Option<Vec<User>>) {
        if !dedupe {
            return (channels.into_iter().map(Self::Full).collect(), None);
        }
        let mut users: Vec<User> = Vec::new();
        let mut seen: HashSet<Id> = HashSet::new();
        let list = channels
            .into_iter()
            .map(|c| {
                let recipient_ids = c.recipients.iter().map(|u| u.id).collect();
                for user in c.recipients {
                    if !members.contains(&user.id) && seen.insert(user.id) {
                        users.push(user);
                    }
                }
                Self::Deduped(DedupedPrivateChannel {
                    id: c.id,
                    kind: c.kind,
                    last_message_id: c.last_message_id,
                    flags: c.flags,
                    recipient_ids,
                    last_pin_timestamp: c.last_pin_timestamp,
                    name: c.name,
                    icon: c.icon,
                    owner_id: c.owner_id,
                })
            })
            .collect();
        (list, Some(users))
    }
}

/// A guild announced in READY before its GUILD_CREATE.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UnavailableGuild {
    /// The guild.
    pub id: Id,
    /// Always `true` in READY.
    pub unavailable: bool,
}

/// The application of the identifying user, as READY carries it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PartialApplication {
    /// The application id (the bot's user id).
    pub id: Id,
    /// Application flags (the privileged intents it may use).
    #[ts(type = "number")]
    pub flags: u64,
}

/// READY's read states.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReadStates {
    /// Format version (1).
    pub version: u8,
    /// Whether entries were left out (never).
    pub partial: bool,
    /// One per channel the user has read in.
    pub entries: Vec<ReadStateEntry>,
}

/// Where one user stopped reading one channel.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReadStateEntry {
    /// The channel.
    pub id: Id,
    /// The last message read.
    pub last_message_id: Id,
    /// Mentions of the user since.
    pub mention_count: i64,
    /// Whether messages came since (REST only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub unread: Option<bool>,
}

/// GUILD_CREATE: the guild with everything a member sees in it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GuildCreate {
    /// The guild object.
    #[serde(flatten)]
    #[ts(flatten)]
    pub guild: Guild,
    /// Channels the member can see.
    pub channels: Vec<Channel>,
    /// Active threads the member can see.
    pub threads: Vec<Channel>,
    /// Members.
    pub members: Vec<Member>,
    /// How many members.
    pub member_count: usize,
    /// Whether members were left out (never).
    pub large: bool,
    /// Always `false` here.
    pub unavailable: bool,
    /// When the member joined (ISO 8601).
    pub joined_at: String,
    /// Who is in voice.
    pub voice_states: Vec<VoiceState>,
    /// Who is online.
    pub presences: Vec<Presence>,
    /// Stage instances (none).
    #[ts(type = "unknown[]")]
    pub stage_instances: Vec<Value>,
    /// Scheduled events (none).
    #[ts(type = "unknown[]")]
    pub guild_scheduled_events: Vec<Value>,
    /// Soundboard sounds.
    pub soundboard_sounds: Vec<super::SoundboardSound>,
}

/// A user's presence (PRESENCE_UPDATE, GUILD_CREATE).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Presence {
    /// The user (only the id).
    pub user: PartialUser,
    /// The guild.
    pub guild_id: Id,
    /// `online`, `idle`, `dnd` or `offline`.
    pub status: String,
    /// What they are doing, as their client said.
    #[ts(type = "unknown[]")]
    pub activities: Vec<Value>,
    /// Status per platform (spot has only the web).
    pub client_status: ClientStatus,
}

/// A user known only by id.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PartialUser {
    /// The user.
    pub id: Id,
}

/// Status per platform.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct ClientStatus {
    /// The status on the web, unless offline.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub web: Option<String>,
}

/// Where one member is in voice, and how (VOICE_STATE_UPDATE, GUILD_CREATE). In a DM or group DM call there
/// is no guild and no member, as on Discord.
#[derive(Debug, Clone, Serialize, TS)]
pub struct VoiceState {
    /// The guild (absent in a DM call).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub guild_id: Option<Id>,
    /// The room; `null` when they left.
    pub channel_id: Option<Id>,
    /// The user.
    pub user_id: Id,
    /// The member (absent in a DM call).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub member: Option<Member>,
    /// The gateway session that joined.
    pub session_id: String,
    /// Server-deafened.
    pub deaf: bool,
    /// Server-muted.
    pub mute: bool,
    /// Deafened themselves.
    pub self_deaf: bool,
    /// Muted themselves.
    pub self_mute: bool,
    /// Sharing their screen.
    pub self_stream: bool,
    /// Camera on.
    pub self_video: bool,
    /// Suppressed in a stage (never).
    pub suppress: bool,
    /// Hand raised in a stage (never).
    #[ts(type = "null")]
    pub request_to_speak_timestamp: Option<()>,
}

/// VOICE_SERVER_UPDATE: where and how the session that joined connects its media.
#[derive(Debug, Clone, Serialize, TS)]
pub struct VoiceServerUpdate {
    /// The voice token.
    pub token: String,
    /// The guild (`null` in a DM call).
    pub guild_id: Option<Id>,
    /// The room (spot's addition: a session may be in one room).
    pub channel_id: Id,
    /// Where to connect.
    pub endpoint: String,
    /// `embedded` (spot's SFU) or `livekit`.
    #[ts(type = "'embedded' | 'livekit'")]
    pub backend: &'static str,
}

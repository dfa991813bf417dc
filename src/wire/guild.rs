//! The guild object (`GET /guilds/{id}`).

use serde::Serialize;
use ts_rs::TS;

use super::{GuildEmoji, Id, Role, Sticker};
use crate::store::{self, ChannelKind};

/// A guild object: the space, with the fields Discord always sends (`null` or zero where spot has nothing).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Guild {
    /// Snowflake.
    pub id: Id,
    /// Name.
    pub name: String,
    /// Icon hash.
    pub icon: Option<String>,
    /// Icon hash (template form).
    pub icon_hash: Option<String>,
    /// The owner.
    pub owner_id: Id,
    /// Roles.
    pub roles: Vec<Role>,
    /// The first text channel, where joins are announced.
    pub system_channel_id: Option<Id>,
    /// Seconds before moving idle people to the AFK channel.
    pub afk_timeout: i64,
    /// Notification default: only mentions.
    pub default_message_notifications: i64,
    /// Locale.
    pub preferred_locale: &'static str,
    /// Most members.
    pub max_members: i64,
    /// Most people with cameras on in one room.
    pub max_video_channel_users: i64,
    /// The same, in a stage (spot has no stages).
    pub max_stage_video_channel_users: i64,
    /// Voice region (deprecated by Discord: voice runs here).
    pub region: &'static str,
    /// Age-restricted (never).
    pub nsfw: bool,
    /// The widget (never).
    pub widget_enabled: bool,
    /// Custom emoji.
    pub emojis: Vec<GuildEmoji>,
    /// Stickers.
    pub stickers: Vec<Sticker>,
    /// Features (none).
    pub features: Vec<String>,
    /// Zero-valued settings spot does not have: verification, content filter, MFA, boosts, NSFW level, flags.
    #[serde(flatten)]
    #[ts(skip)]
    pub zeros: Zeros,
    /// Fields that are always `null` on spot: splashes, AFK channel, rules channel, vanity URL, banner, …
    #[serde(flatten)]
    #[ts(skip)]
    pub nulls: Nulls,
}

/// The zero-valued guild settings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Zeros {
    verification_level: i64,
    explicit_content_filter: i64,
    mfa_level: i64,
    system_channel_flags: i64,
    premium_tier: i64,
    premium_subscription_count: i64,
    nsfw_level: i64,
    premium_progress_bar_enabled: bool,
}

/// The always-`null` guild fields.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Nulls {
    splash: Option<()>,
    discovery_splash: Option<()>,
    afk_channel_id: Option<()>,
    application_id: Option<()>,
    rules_channel_id: Option<()>,
    vanity_url_code: Option<()>,
    description: Option<()>,
    banner: Option<()>,
    public_updates_channel_id: Option<()>,
    safety_alerts_channel_id: Option<()>,
    home_header: Option<()>,
    widget_channel_id: Option<()>,
    max_presences: Option<()>,
    incidents_data: Option<()>,
}

impl Guild {
    /// The guild with its roles and expressions.
    pub fn with_expressions(
        guild: &store::Guild,
        roles: &[store::Role],
        emojis: &[store::Emoji],
        stickers: &[store::Sticker],
    ) -> Self {
        Self {
            emojis: emojis.iter().map(|e| GuildEmoji::new(e, None)).collect(),
            stickers: stickers.iter().map(|s| Sticker::new(s, None)).collect(),
            ..Self::new(guild, roles)
        }
    }

    /// The guild with its roles (and no expressions).
    pub fn new(guild: &store::Guild, roles: &[store::Role]) -> Self {
        Self {
            id: Id(guild.id),
            name: guild.name.clone(),
            icon: guild.icon.clone(),
            icon_hash: guild.icon.clone(),
            owner_id: Id(guild.owner_id),
            roles: roles.iter().map(Role::from).collect(),
            system_channel_id: guild
                .channels
                .iter()
                .find(|c| c.kind == ChannelKind::Text)
                .map(|c| Id(c.id)),
            afk_timeout: 300,
            default_message_notifications: 1,
            preferred_locale: "en-US",
            max_members: 500,
            max_video_channel_users: 25,
            max_stage_video_channel_users: 0,
            region: "deprecated",
            nsfw: false,
            widget_enabled: false,
            emojis: Vec::new(),
            stickers: Vec::new(),
            features: Vec::new(),
            zeros: Zeros::default(),
            nulls: Nulls::default(),
        }
    }
}

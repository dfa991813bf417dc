//! Notification settings as Discord sends them ("user guild settings"): one entry for the space and one for
//! DMs (`guild_id: null`), each with channel overrides; in READY and in `USER_GUILD_SETTINGS_UPDATE`.

use serde::Serialize;
use ts_rs::TS;

use super::Id;
use crate::clock::iso8601;
use crate::store;

/// How long a mute lasts.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MuteConfig {
    /// When it ends (`null`: until turned back on).
    pub end_time: Option<String>,
    /// The window chosen, in seconds (-1: until turned back on).
    pub selected_time_window: i64,
}

impl From<store::Mute> for MuteConfig {
    fn from(mute: store::Mute) -> Self {
        Self {
            end_time: mute.end.map(iso8601),
            selected_time_window: mute.window,
        }
    }
}

/// One channel's notification override.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChannelOverride {
    /// The channel or DM.
    pub channel_id: Id,
    /// 0 all messages, 1 mentions only, 2 nothing, 3 as the space (or DMs) says.
    pub message_notifications: i64,
    /// Muted now.
    pub muted: bool,
    /// The mute's end, when muted.
    pub mute_config: Option<MuteConfig>,
    /// Always `false` (spot does not collapse categories per user).
    pub collapsed: bool,
}

/// A user's notification settings for the space or for DMs.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UserGuildSettings {
    /// The space; `null` for DMs and group DMs.
    pub guild_id: Option<Id>,
    /// 0 all messages, 1 mentions only, 2 nothing.
    pub message_notifications: i64,
    /// Muted now.
    pub muted: bool,
    /// The mute's end, when muted.
    pub mute_config: Option<MuteConfig>,
    /// `@everyone` and `@here` do not notify.
    pub suppress_everyone: bool,
    /// Role mentions always notify (spot has no such switch).
    pub suppress_roles: bool,
    /// Pushes are sent (turned off per device, by unsubscribing).
    pub mobile_push: bool,
    /// Per-channel overrides.
    pub channel_overrides: Vec<ChannelOverride>,
    /// Always 0.
    pub version: i64,
    /// Always `false`.
    pub hide_muted_channels: bool,
    /// Always 0.
    pub flags: i64,
    /// Always 0.
    pub notify_highlights: i64,
    /// Always `false`.
    pub mute_scheduled_events: bool,
}

/// READY's `user_guild_settings`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UserGuildSettingsList {
    /// Always 0.
    pub version: i64,
    /// Never partial.
    pub partial: bool,
    /// The space's entry and the DMs' entry.
    pub entries: Vec<UserGuildSettings>,
}

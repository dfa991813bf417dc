//! Notification rules: a user's settings for the space and for DMs in Discord's shape (levels, mutes with an
//! end, per-channel overrides, `@everyone` suppression), changed with `PATCH /users/@me/guilds/{id}/settings`,
//! and the one question push delivery asks: does this message notify this person?
//!
//! Defaults, as a friend group expects them: in the space, mentions only; in DMs and group DMs, every message.

use std::collections::HashMap;

use serde::Deserialize;

use super::{Chat, ChatError};
use crate::clock::Millis;
use crate::hub::{Audience, Event};
use crate::store::{ChannelSettings, Mute, NotificationSettings, ScopeSettings, Snowflake, User};
use crate::wire;

/// The space's default level: mentions only.
const GUILD_DEFAULT: i64 = 1;
/// DMs' default level: every message.
const DM_DEFAULT: i64 = 0;
/// Level 3 on a channel: as its scope says.
const INHERIT: i64 = 3;

/// A mute as a client sends it.
#[derive(Debug, Clone, Deserialize)]
pub struct MuteInput {
    /// When it ends (ISO 8601), if the client computed it.
    #[serde(default)]
    pub end_time: Option<String>,
    /// Seconds, -1 for until turned back on.
    #[serde(default)]
    pub selected_time_window: Option<i64>,
}

/// One channel's part of a settings change.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OverrideInput {
    /// 0–3.
    #[serde(default)]
    pub message_notifications: Option<i64>,
    /// Mute or unmute.
    #[serde(default)]
    pub muted: Option<bool>,
    /// How long.
    #[serde(default)]
    pub mute_config: Option<MuteInput>,
}

/// `PATCH /users/@me/guilds/{id}/settings`: every field optional.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SettingsInput {
    /// 0–2.
    #[serde(default)]
    pub message_notifications: Option<i64>,
    /// Mute or unmute the whole scope.
    #[serde(default)]
    pub muted: Option<bool>,
    /// How long.
    #[serde(default)]
    pub mute_config: Option<MuteInput>,
    /// `@everyone` and `@here` stay quiet.
    #[serde(default)]
    pub suppress_everyone: Option<bool>,
    /// By channel id.
    #[serde(default)]
    pub channel_overrides: Option<HashMap<String, OverrideInput>>,
}

/// What push delivery knows about a new message.
#[derive(Debug, Clone, Default)]
pub struct MessageFacts {
    /// The channel.
    pub channel_id: Snowflake,
    /// The author.
    pub author_id: Snowflake,
    /// Users mentioned by id.
    pub mentions: Vec<Snowflake>,
    /// Roles mentioned.
    pub mention_roles: Vec<Snowflake>,
    /// `@everyone` / `@here` took effect.
    pub mention_everyone: bool,
    /// The author of the message this one replies to.
    pub replied_to: Option<Snowflake>,
}

/// Why a message notifies someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A DM or group DM message.
    Direct,
    /// They were mentioned (by name, role or `@everyone`) or replied to.
    Mention,
    /// They asked for every message in the channel.
    Every,
}

fn active(mute: Option<Mute>, now: Millis) -> bool {
    mute.is_some_and(|m| m.end.is_none_or(|end| now < end))
}

/// Whether a message notifies, given the scope's default, the user's settings and whether it mentions them.
pub fn decide(
    default: i64,
    scope: Option<&ScopeSettings>,
    channel: Option<&ChannelSettings>,
    now: Millis,
    mentioned: bool,
    everyone: bool,
) -> bool {
    if active(channel.and_then(|c| c.mute), now) || active(scope.and_then(|s| s.mute), now) {
        return false;
    }
    let level = match channel.map(|c| c.level) {
        Some(level) if level != INHERIT => level,
        _ => scope.map_or(default, |s| s.level),
    };
    let everyone = everyone && !scope.is_some_and(|s| s.suppress_everyone);
    match level {
        0 => true,
        1 => mentioned || everyone,
        _ => false,
    }
}

fn mute_from(input: Option<&MuteInput>, now: Millis) -> Result<Mute, ChatError> {
    let window = input.and_then(|m| m.selected_time_window).unwrap_or(-1);
    if let Some(end) = input.and_then(|m| m.end_time.as_deref()) {
        let end = chrono::DateTime::parse_from_rfc3339(end)
            .map_err(|_| ChatError::invalid("mute_config", "end_time must be an ISO 8601 timestamp"))?;
        return Ok(Mute {
            end: Some(end.timestamp_millis()),
            window,
        });
    }
    if window == -1 || window == 0 {
        return Ok(Mute { end: None, window: -1 });
    }
    if !(1..=366 * 24 * 3600).contains(&window) {
        return Err(ChatError::invalid(
            "mute_config",
            "selected_time_window must be -1 or 1 to 31622400 seconds",
        ));
    }
    Ok(Mute {
        end: Some(now + window * 1000),
        window,
    })
}

fn apply_mute(
    current: Option<Mute>,
    muted: Option<bool>,
    config: Option<&MuteInput>,
    now: Millis,
) -> Result<Option<Mute>, ChatError> {
    match (muted, config) {
        (Some(false), _) => Ok(None),
        (Some(true), config) => Ok(Some(mute_from(config, now)?)),
        (None, Some(config)) if current.is_some() => Ok(Some(mute_from(Some(config), now)?)),
        (None, _) => Ok(current),
    }
}

fn to_wire(guild_id: Option<Snowflake>, settings: &NotificationSettings, now: Millis) -> wire::UserGuildSettings {
    let default = if guild_id.is_some() { GUILD_DEFAULT } else { DM_DEFAULT };
    let mute = settings
        .scope
        .as_ref()
        .and_then(|s| s.mute)
        .filter(|m| active(Some(*m), now));
    wire::UserGuildSettings {
        guild_id: guild_id.map(wire::Id),
        message_notifications: settings.scope.as_ref().map_or(default, |s| s.level),
        muted: mute.is_some(),
        mute_config: mute.map(wire::MuteConfig::from),
        suppress_everyone: settings.scope.as_ref().is_some_and(|s| s.suppress_everyone),
        suppress_roles: false,
        mobile_push: true,
        channel_overrides: settings
            .channels
            .iter()
            .map(|c| {
                let mute = c.mute.filter(|m| active(Some(*m), now));
                wire::ChannelOverride {
                    channel_id: wire::Id(c.channel_id),
                    message_notifications: c.level,
                    muted: mute.is_some(),
                    mute_config: mute.map(wire::MuteConfig::from),
                    collapsed: false,
                }
            })
            .collect(),
        version: 0,
        hide_muted_channels: false,
        flags: 0,
        notify_highlights: 0,
        mute_scheduled_events: false,
    }
}

impl Chat {
    /// The space's settings and the DMs' settings, for READY.
    pub async fn notification_settings(&self, actor: &User) -> Result<wire::UserGuildSettingsList, ChatError> {
        let now = self.clock.now_ms();
        let mut entries = Vec::new();
        if let Some(home) = self.store.guild_home().await? {
            let settings = self.store.notification_settings(actor.id, home.id).await?;
            entries.push(to_wire(Some(home.id), &settings, now));
        }
        let dms = self.store.notification_settings(actor.id, 0).await?;
        entries.push(to_wire(None, &dms, now));
        Ok(wire::UserGuildSettingsList {
            version: 0,
            partial: false,
            entries,
        })
    }

    /// `PATCH /users/@me/guilds/{guild_id}/settings` (`guild_id` `None`: `@me`, the DMs). Overrides may name
    /// only channels of that scope the actor can see.
    pub async fn update_notification_settings(
        &self,
        actor: &User,
        guild_id: Option<Snowflake>,
        input: SettingsInput,
    ) -> Result<wire::UserGuildSettings, ChatError> {
        let now = self.clock.now_ms();
        if let Some(id) = guild_id {
            let home = self.store.guild_home().await?.ok_or(ChatError::UnknownGuild)?;
            if home.id != id || self.store.member_get(id, actor.id).await?.is_none() {
                return Err(ChatError::UnknownGuild);
            }
        }
        let scope_id = guild_id.unwrap_or(0);
        let default = if guild_id.is_some() { GUILD_DEFAULT } else { DM_DEFAULT };
        let current = self.store.notification_settings(actor.id, scope_id).await?;
        let mut scope = current.scope.clone().unwrap_or(ScopeSettings {
            level: default,
            mute: None,
            suppress_everyone: false,
        });
        if let Some(level) = input.message_notifications {
            if !(0..=2).contains(&level) {
                return Err(ChatError::invalid("message_notifications", "Must be 0, 1 or 2"));
            }
            scope.level = level;
        }
        scope.mute = apply_mute(scope.mute, input.muted, input.mute_config.as_ref(), now)?;
        if let Some(suppress) = input.suppress_everyone {
            scope.suppress_everyone = suppress;
        }
        let mut channels = Vec::new();
        for (id, change) in input.channel_overrides.unwrap_or_default() {
            let channel_id: Snowflake = id
                .parse()
                .map_err(|_| ChatError::invalid("channel_overrides", "Keys must be channel ids"))?;
            let access = self.access(actor, channel_id).await?;
            if access.channel.guild_id.unwrap_or(0) != scope_id {
                return Err(ChatError::invalid(
                    "channel_overrides",
                    "The channel is not in this scope",
                ));
            }
            let before = current.channels.iter().find(|c| c.channel_id == channel_id);
            let mut level = before.map_or(INHERIT, |c| c.level);
            if let Some(new) = change.message_notifications {
                if !(0..=3).contains(&new) {
                    return Err(ChatError::invalid("message_notifications", "Must be 0, 1, 2 or 3"));
                }
                level = new;
            }
            let mute = apply_mute(
                before.and_then(|c| c.mute),
                change.muted,
                change.mute_config.as_ref(),
                now,
            )?;
            channels.push(ChannelSettings {
                channel_id,
                level,
                mute,
            });
        }
        self.store
            .notification_settings_set(
                actor.id,
                scope_id,
                NotificationSettings {
                    scope: Some(scope),
                    channels,
                },
            )
            .await?;
        let settings = self.store.notification_settings(actor.id, scope_id).await?;
        let data = to_wire(guild_id, &settings, now);
        self.hub.publish(Event::new(
            "USER_GUILD_SETTINGS_UPDATE",
            &data,
            Audience::User(actor.id),
            0,
        ));
        Ok(data)
    }

    /// Whether a new message notifies `user_id`, and why: they can see it, have not blocked its author, and
    /// their settings let it through (a DM, a mention or reply where mentions count, or every message).
    pub async fn notifies(&self, user_id: Snowflake, facts: &MessageFacts) -> Result<Option<Reason>, ChatError> {
        if user_id == facts.author_id {
            return Ok(None);
        }
        let Some(user) = self.store.user_by_id(user_id).await? else {
            return Ok(None);
        };
        if user.disabled || user.is_bot {
            return Ok(None);
        }
        let access = match self.access(&user, facts.channel_id).await {
            Ok(access) => access,
            Err(ChatError::UnknownChannel | ChatError::MissingAccess) => return Ok(None),
            Err(e) => return Err(e),
        };
        if self.store.has_blocked(user_id, facts.author_id).await? {
            return Ok(None);
        }
        let private = access.channel.kind.is_private();
        let in_roles = access
            .member
            .as_ref()
            .is_some_and(|m| m.roles.iter().any(|r| facts.mention_roles.contains(r)));
        let mentioned = facts.mentions.contains(&user_id) || facts.replied_to == Some(user_id) || in_roles;
        // A thread's notifications follow its own override, else its parent's.
        let scope_id = access.channel.guild_id.unwrap_or(0);
        let levels = self
            .store
            .notification_levels(vec![user_id], facts.channel_id, scope_id)
            .await?;
        let (_, scope, mut channel) = levels.into_iter().next().unwrap_or((user_id, None, None));
        if channel.is_none()
            && let Some(parent) = access.channel.parent_id.filter(|_| access.channel.kind.is_thread())
        {
            channel = self
                .store
                .notification_levels(vec![user_id], parent, scope_id)
                .await?
                .into_iter()
                .next()
                .and_then(|(_, _, c)| c);
        }
        let default = if private { DM_DEFAULT } else { GUILD_DEFAULT };
        let now = self.clock.now_ms();
        if !decide(
            default,
            scope.as_ref(),
            channel.as_ref(),
            now,
            mentioned,
            facts.mention_everyone,
        ) {
            return Ok(None);
        }
        Ok(Some(if private {
            Reason::Direct
        } else if mentioned || facts.mention_everyone {
            Reason::Mention
        } else {
            Reason::Every
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(level: i64) -> ScopeSettings {
        ScopeSettings {
            level,
            mute: None,
            suppress_everyone: false,
        }
    }

    #[test]
    fn levels_mutes_and_everyone() {
        // Defaults: the space notifies mentions only, DMs everything.
        assert!(!decide(GUILD_DEFAULT, None, None, 0, false, false));
        assert!(decide(GUILD_DEFAULT, None, None, 0, true, false));
        assert!(decide(DM_DEFAULT, None, None, 0, false, false));
        // A channel override beats the scope; 3 inherits.
        let all = ChannelSettings {
            channel_id: 1,
            level: 0,
            mute: None,
        };
        assert!(decide(GUILD_DEFAULT, None, Some(&all), 0, false, false));
        let inherit = ChannelSettings {
            level: INHERIT,
            ..all.clone()
        };
        assert!(!decide(GUILD_DEFAULT, None, Some(&inherit), 0, false, false));
        let nothing = ChannelSettings {
            level: 2,
            ..all.clone()
        };
        assert!(!decide(GUILD_DEFAULT, Some(&scope(0)), Some(&nothing), 0, true, false));
        // A mute silences until it ends, mentions included.
        let muted = ChannelSettings {
            mute: Some(Mute {
                end: Some(1_000),
                window: 1,
            }),
            ..all.clone()
        };
        assert!(!decide(GUILD_DEFAULT, None, Some(&muted), 999, true, false));
        assert!(decide(GUILD_DEFAULT, None, Some(&muted), 1_000, true, false));
        let forever = ScopeSettings {
            mute: Some(Mute { end: None, window: -1 }),
            ..scope(0)
        };
        assert!(!decide(DM_DEFAULT, Some(&forever), None, i64::MAX, true, false));
        // @everyone counts as a mention unless suppressed.
        assert!(decide(GUILD_DEFAULT, None, None, 0, false, true));
        let quiet = ScopeSettings {
            suppress_everyone: true,
            ..scope(1)
        };
        assert!(!decide(GUILD_DEFAULT, Some(&quiet), None, 0, false, true));
    }

    #[test]
    fn mutes_from_input() {
        let hour = MuteInput {
            end_time: None,
            selected_time_window: Some(3600),
        };
        assert_eq!(
            mute_from(Some(&hour), 5).unwrap(),
            Mute {
                end: Some(5 + 3_600_000),
                window: 3600
            }
        );
        assert_eq!(mute_from(None, 5).unwrap(), Mute { end: None, window: -1 });
        let bad = MuteInput {
            end_time: Some("tomorrow".into()),
            selected_time_window: None,
        };
        assert!(mute_from(Some(&bad), 5).is_err());
        let huge = MuteInput {
            end_time: None,
            selected_time_window: Some(i64::MAX),
        };
        assert!(mute_from(Some(&huge), 5).is_err());
    }
}

//! Per-user notification settings, in Discord's shape: one row per user for the space (`guild_id`) and one for
//! DMs (`guild_id` 0), and per-channel overrides. A user with no row has the defaults (the rules are in
//! `chat::notifications`).

use rusqlite::{OptionalExtension, Row, params};

use super::{Snowflake, Store, StoreError};
use crate::clock::Millis;

/// A mute: until `end` (ms), or until turned back on (`end` None).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mute {
    /// When it ends; `None`: until turned back on.
    pub end: Option<Millis>,
    /// The window the client chose, in seconds (-1: until turned back on).
    pub window: i64,
}

/// The settings for the space or for DMs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeSettings {
    /// 0 all messages, 1 mentions only, 2 nothing.
    pub level: i64,
    /// Muted, and how long.
    pub mute: Option<Mute>,
    /// `@everyone` and `@here` do not notify.
    pub suppress_everyone: bool,
}

/// One channel's override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelSettings {
    /// The channel (or DM).
    pub channel_id: Snowflake,
    /// 0 all messages, 1 mentions only, 2 nothing, 3 as the scope says.
    pub level: i64,
    /// Muted, and how long.
    pub mute: Option<Mute>,
}

/// Everything a user set for one scope (`guild_id` 0: DMs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationSettings {
    /// The scope's own settings, if the user changed them.
    pub scope: Option<ScopeSettings>,
    /// Channel overrides in the scope.
    pub channels: Vec<ChannelSettings>,
}

fn mute(row: &Row<'_>, at: usize) -> rusqlite::Result<Option<Mute>> {
    let muted: bool = row.get(at)?;
    Ok(muted.then_some(Mute {
        end: row.get(at + 1)?,
        window: row.get::<_, Option<i64>>(at + 2)?.unwrap_or(-1),
    }))
}

impl Store {
    /// A user's settings for one scope: the space (`guild_id`) or DMs (0). Overrides of channels that left the
    /// scope are not returned.
    pub async fn notification_settings(
        &self,
        user_id: Snowflake,
        guild_id: Snowflake,
    ) -> Result<NotificationSettings, StoreError> {
        self.read(move |conn| {
            let scope = conn
                .query_row(
                    "SELECT message_notifications, muted, mute_end, mute_window, suppress_everyone
                     FROM notification_settings WHERE user_id = ?1 AND guild_id = ?2",
                    params![user_id, guild_id],
                    |row| {
                        Ok(ScopeSettings {
                            level: row.get(0)?,
                            mute: mute(row, 1)?,
                            suppress_everyone: row.get(4)?,
                        })
                    },
                )
                .optional()?;
            let mut stmt = conn.prepare_cached(
                "SELECT o.channel_id, o.message_notifications, o.muted, o.mute_end, o.mute_window
                 FROM channel_notification_overrides o JOIN channels c ON c.id = o.channel_id
                 WHERE o.user_id = ?1 AND coalesce(c.guild_id, 0) = ?2 ORDER BY o.channel_id",
            )?;
            let channels = stmt
                .query_map(params![user_id, guild_id], |row| {
                    Ok(ChannelSettings {
                        channel_id: row.get(0)?,
                        level: row.get(1)?,
                        mute: mute(row, 2)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(NotificationSettings { scope, channels })
        })
        .await
    }

    /// Replaces a user's settings for one scope with `settings` (what the rules computed from a PATCH).
    pub async fn notification_settings_set(
        &self,
        user_id: Snowflake,
        guild_id: Snowflake,
        settings: NotificationSettings,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            if let Some(scope) = &settings.scope {
                tx.execute(
                    "INSERT INTO notification_settings
                       (user_id, guild_id, message_notifications, muted, mute_end, mute_window, suppress_everyone)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT(user_id, guild_id) DO UPDATE SET message_notifications = ?3, muted = ?4,
                       mute_end = ?5, mute_window = ?6, suppress_everyone = ?7",
                    params![
                        user_id,
                        guild_id,
                        scope.level,
                        scope.mute.is_some(),
                        scope.mute.and_then(|m| m.end),
                        scope.mute.map(|m| m.window),
                        scope.suppress_everyone
                    ],
                )?;
            }
            for channel in &settings.channels {
                if channel.level == 3 && channel.mute.is_none() {
                    tx.execute(
                        "DELETE FROM channel_notification_overrides WHERE user_id = ?1 AND channel_id = ?2",
                        params![user_id, channel.channel_id],
                    )?;
                    continue;
                }
                tx.execute(
                    "INSERT INTO channel_notification_overrides
                       (user_id, channel_id, message_notifications, muted, mute_end, mute_window)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT(user_id, channel_id) DO UPDATE SET message_notifications = ?3, muted = ?4,
                       mute_end = ?5, mute_window = ?6",
                    params![
                        user_id,
                        channel.channel_id,
                        channel.level,
                        channel.mute.is_some(),
                        channel.mute.and_then(|m| m.end),
                        channel.mute.map(|m| m.window)
                    ],
                )?;
            }
            Ok(())
        })
        .await
    }

    /// For each of `users`: their settings for the scope (`guild_id`, 0 for DMs) and their override for
    /// `channel_id`, for the rules to decide whether a message there notifies them.
    pub async fn notification_levels(
        &self,
        users: Vec<Snowflake>,
        channel_id: Snowflake,
        guild_id: Snowflake,
    ) -> Result<Vec<(Snowflake, Option<ScopeSettings>, Option<ChannelSettings>)>, StoreError> {
        self.read(move |conn| {
            let mut scope_stmt = conn.prepare_cached(
                "SELECT message_notifications, muted, mute_end, mute_window, suppress_everyone
                 FROM notification_settings WHERE user_id = ?1 AND guild_id = ?2",
            )?;
            let mut channel_stmt = conn.prepare_cached(
                "SELECT channel_id, message_notifications, muted, mute_end, mute_window
                 FROM channel_notification_overrides WHERE user_id = ?1 AND channel_id = ?2",
            )?;
            let mut out = Vec::with_capacity(users.len());
            for user in users {
                let scope = scope_stmt
                    .query_row(params![user, guild_id], |row| {
                        Ok(ScopeSettings {
                            level: row.get(0)?,
                            mute: mute(row, 1)?,
                            suppress_everyone: row.get(4)?,
                        })
                    })
                    .optional()?;
                let channel = channel_stmt
                    .query_row(params![user, channel_id], |row| {
                        Ok(ChannelSettings {
                            channel_id: row.get(0)?,
                            level: row.get(1)?,
                            mute: mute(row, 2)?,
                        })
                    })
                    .optional()?;
                out.push((user, scope, channel));
            }
            Ok(out)
        })
        .await
    }
}

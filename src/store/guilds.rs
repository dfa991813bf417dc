//! The home space: one guild with its channels. `spot init` creates it with `#general` and `Lounge`.

use rusqlite::{Connection, params};

use super::error::OptionalRow;
use super::{Snowflake, Store, StoreError};
use crate::clock::Millis;

/// Discord channel types spot stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelKind {
    /// A text channel (Discord type 0).
    Text,
    /// A voice channel (Discord type 2).
    Voice,
    /// A category (Discord type 4).
    Category,
    /// Any other Discord type number.
    Other(i64),
}

impl ChannelKind {
    /// The Discord type number.
    pub fn code(self) -> i64 {
        match self {
            Self::Text => 0,
            Self::Voice => 2,
            Self::Category => 4,
            Self::Other(code) => code,
        }
    }

    /// The kind for a Discord type number.
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => Self::Text,
            2 => Self::Voice,
            4 => Self::Category,
            other => Self::Other(other),
        }
    }
}

/// A guild (spot's "space").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guild {
    /// Snowflake id.
    pub id: Snowflake,
    /// Display name.
    pub name: String,
    /// The user who owns it (the first admin).
    pub owner_id: Snowflake,
    /// Its channels, by position.
    pub channels: Vec<Channel>,
}

/// A channel in a guild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    /// Snowflake id.
    pub id: Snowflake,
    /// What kind of channel.
    pub kind: ChannelKind,
    /// Name shown in the channel list.
    pub name: String,
    /// Sort order.
    pub position: i64,
}

fn channels_of(conn: &Connection, guild_id: Snowflake) -> Result<Vec<Channel>, StoreError> {
    let mut stmt =
        conn.prepare("SELECT id, type, name, position FROM channels WHERE guild_id = ?1 ORDER BY position, id")?;
    let rows = stmt.query_map([guild_id], |row| {
        Ok(Channel {
            id: row.get(0)?,
            kind: ChannelKind::from_code(row.get(1)?),
            name: row.get(2)?,
            position: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl Store {
    /// Creates the home space owned by `owner_id`: a guild named `name` with a `general` text channel and a
    /// `Lounge` voice channel, and makes every existing user a member.
    pub async fn guild_create_home(&self, name: String, owner_id: Snowflake, now: Millis) -> Result<Guild, StoreError> {
        let (guild_id, general_id, lounge_id) = (self.next_id(), self.next_id(), self.next_id());
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO guilds (id, name, owner_id, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![guild_id, name, owner_id, now],
            )?;
            let mut insert =
                tx.prepare("INSERT INTO channels (id, guild_id, type, name, position) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            insert.execute(params![general_id, guild_id, ChannelKind::Text.code(), "general", 0])?;
            insert.execute(params![lounge_id, guild_id, ChannelKind::Voice.code(), "Lounge", 1])?;
            tx.execute(
                "INSERT OR IGNORE INTO members (guild_id, user_id, joined_at) SELECT ?1, id, ?2 FROM users",
                params![guild_id, now],
            )?;
            Ok(Guild {
                id: guild_id,
                name,
                owner_id,
                channels: channels_of(tx, guild_id)?,
            })
        })
        .await
    }

    /// The home space (the first guild), if `spot init` has created it.
    pub async fn guild_home(&self) -> Result<Option<Guild>, StoreError> {
        self.read(|conn| {
            let guild = conn
                .query_row("SELECT id, name, owner_id FROM guilds ORDER BY id LIMIT 1", [], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })
                .optional_row()?;
            match guild {
                Some((id, name, owner_id)) => Ok(Some(Guild {
                    id,
                    name,
                    owner_id,
                    channels: channels_of(conn, id)?,
                })),
                None => Ok(None),
            }
        })
        .await
    }
}

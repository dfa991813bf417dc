//! The home space: one guild with its channels. `spot init` creates it with `#general`, `Lounge` and the
//! `@everyone` role (whose id is the guild's, as on Discord).

use rusqlite::{Connection, params};

use super::channels::{self, Channel, ChannelKind, NewChannel};
use super::error::OptionalRow;
use super::{Snowflake, Store, StoreError};
use crate::clock::Millis;
use crate::perms::bits;

/// A guild (spot's "space").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guild {
    /// Snowflake id.
    pub id: Snowflake,
    /// Display name.
    pub name: String,
    /// The user who owns it (the first admin).
    pub owner_id: Snowflake,
    /// When it was created.
    pub created_at: Millis,
    /// Hash of its icon (files under `<data_dir>/icons/<guild id>/`).
    pub icon: Option<String>,
    /// Its channels (not threads), by position.
    pub channels: Vec<Channel>,
}

pub(super) fn home(conn: &Connection) -> Result<Option<Guild>, StoreError> {
    let guild = conn
        .query_row(
            "SELECT id, name, owner_id, created_at, icon FROM guilds ORDER BY id LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
        )
        .optional_row()?;
    match guild {
        Some((id, name, owner_id, created_at, icon)) => Ok(Some(Guild {
            id,
            name,
            owner_id,
            created_at,
            icon,
            channels: channels::of_guild(conn, id, false)?,
        })),
        None => Ok(None),
    }
}

impl Store {
    /// Creates the home space owned by `owner_id`: a guild named `name` with an `@everyone` role, a `general`
    /// text channel and a `Lounge` voice channel, and makes every existing user a member.
    pub async fn guild_create_home(&self, name: String, owner_id: Snowflake, now: Millis) -> Result<Guild, StoreError> {
        let (guild_id, general_id, lounge_id) = (self.next_id(), self.next_id(), self.next_id());
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO guilds (id, name, owner_id, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![guild_id, name, owner_id, now],
            )?;
            tx.execute(
                "INSERT INTO roles (id, guild_id, name, permissions, position) VALUES (?1, ?1, '@everyone', ?2, 0)",
                params![guild_id, bits::DEFAULT_EVERYONE as i64],
            )?;
            let channel = |kind: ChannelKind, name: &str, position| NewChannel {
                guild_id: Some(guild_id),
                kind: kind.code(),
                name: name.to_owned(),
                position: Some(position),
                ..NewChannel::default()
            };
            channels::insert(tx, general_id, &channel(ChannelKind::Text, "general", 0), now)?;
            channels::insert(tx, lounge_id, &channel(ChannelKind::Voice, "Lounge", 1), now)?;
            tx.execute(
                "INSERT OR IGNORE INTO members (guild_id, user_id, joined_at) SELECT ?1, id, ?2 FROM users",
                params![guild_id, now],
            )?;
            home(tx)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    /// Renames the home space and/or changes its icon (`Some(None)` removes it); returns it afterwards.
    pub async fn guild_update(
        &self,
        id: Snowflake,
        name: Option<String>,
        icon: Option<Option<String>>,
    ) -> Result<Guild, StoreError> {
        self.write(move |tx| {
            if let Some(name) = &name {
                tx.execute("UPDATE guilds SET name = ?2 WHERE id = ?1", params![id, name])?;
            }
            if let Some(icon) = &icon {
                tx.execute("UPDATE guilds SET icon = ?2 WHERE id = ?1", params![id, icon])?;
            }
            home(tx)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    /// The home space (the first guild), if `spot init` has created it.
    pub async fn guild_home(&self) -> Result<Option<Guild>, StoreError> {
        self.read(home).await
    }
}

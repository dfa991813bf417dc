//! Channels (text, voice, categories, threads, DMs and group DMs), their permission overwrites and thread
//! members. The people in DMs are in `dms.rs`.

use rusqlite::{Connection, Row, params};

use super::error::OptionalRow;
use super::{Snowflake, Store, StoreError};
use crate::clock::Millis;
use crate::perms::Overwrite;

/// Discord channel types spot stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelKind {
    /// A text channel (Discord type 0).
    Text,
    /// A direct message between two people (Discord type 1).
    Dm,
    /// A voice channel (Discord type 2).
    Voice,
    /// A group DM (Discord type 3).
    GroupDm,
    /// A category (Discord type 4).
    Category,
    /// A public thread (Discord type 11).
    PublicThread,
    /// A private thread (Discord type 12).
    PrivateThread,
    /// Any other Discord type number.
    Other(i64),
}

impl ChannelKind {
    /// The Discord type number.
    pub fn code(self) -> i64 {
        match self {
            Self::Text => 0,
            Self::Dm => 1,
            Self::Voice => 2,
            Self::GroupDm => 3,
            Self::Category => 4,
            Self::PublicThread => 11,
            Self::PrivateThread => 12,
            Self::Other(code) => code,
        }
    }

    /// The kind for a Discord type number.
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => Self::Text,
            1 => Self::Dm,
            2 => Self::Voice,
            3 => Self::GroupDm,
            4 => Self::Category,
            11 => Self::PublicThread,
            12 => Self::PrivateThread,
            other => Self::Other(other),
        }
    }

    /// Threads are channels inside a text channel.
    pub fn is_thread(self) -> bool {
        matches!(self, Self::PublicThread | Self::PrivateThread)
    }

    /// Whether messages can be posted in it.
    pub fn is_textual(self) -> bool {
        matches!(
            self,
            Self::Text | Self::Dm | Self::Voice | Self::GroupDm | Self::PublicThread | Self::PrivateThread
        )
    }

    /// A DM or group DM: no guild, only its recipients see it.
    pub fn is_private(self) -> bool {
        matches!(self, Self::Dm | Self::GroupDm)
    }
}

/// A channel in a guild, or a DM or group DM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    /// Snowflake id.
    pub id: Snowflake,
    /// The guild it belongs to (`None`: a DM or group DM).
    pub guild_id: Option<Snowflake>,
    /// What kind of channel.
    pub kind: ChannelKind,
    /// Name shown in the channel list.
    pub name: String,
    /// Sort order.
    pub position: i64,
    /// Category of a channel, or parent channel of a thread.
    pub parent_id: Option<Snowflake>,
    /// Channel topic.
    pub topic: Option<String>,
    /// Newest message, if any.
    pub last_message_id: Option<Snowflake>,
    /// Age-restricted.
    pub nsfw: bool,
    /// Slow mode, in seconds.
    pub rate_limit_per_user: i64,
    /// Threads: who started it; group DMs: the owner; DMs: who opened it.
    pub owner_id: Option<Snowflake>,
    /// Group DMs: icon hash.
    pub icon: Option<String>,
    /// Threads: archived.
    pub archived: bool,
    /// Threads: locked (only managers may unarchive).
    pub locked: bool,
    /// Threads: minutes of inactivity before archiving.
    pub auto_archive_duration: i64,
    /// Threads: when the archive state last changed.
    pub archive_timestamp: Option<Millis>,
    /// Threads: messages sent.
    pub message_count: i64,
    /// When a message was last pinned.
    pub last_pin_timestamp: Option<Millis>,
    /// When it was created.
    pub created_at: Millis,
    /// Permission overwrites.
    pub overwrites: Vec<Overwrite>,
}

/// What is needed to create a channel or thread.
#[derive(Debug, Clone, Default)]
pub struct NewChannel {
    /// A chosen id (a thread started from a message takes the message's id, as on Discord).
    pub id: Option<Snowflake>,
    /// The guild (`None` for a DM or group DM).
    pub guild_id: Option<Snowflake>,
    /// Discord type number.
    pub kind: i64,
    /// Name.
    pub name: String,
    /// Category or parent channel.
    pub parent_id: Option<Snowflake>,
    /// Topic.
    pub topic: Option<String>,
    /// Position; `None` puts it last.
    pub position: Option<i64>,
    /// Threads: who started it.
    pub owner_id: Option<Snowflake>,
    /// Threads: auto-archive minutes.
    pub auto_archive_duration: Option<i64>,
    /// Slow mode seconds.
    pub rate_limit_per_user: i64,
    /// Age-restricted.
    pub nsfw: bool,
    /// Overwrites.
    pub overwrites: Vec<Overwrite>,
}

/// Changes to a channel; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct ChannelPatch {
    /// New name.
    pub name: Option<String>,
    /// New topic (`Some(None)` clears it).
    pub topic: Option<Option<String>>,
    /// New position.
    pub position: Option<i64>,
    /// New parent (`Some(None)` clears it).
    pub parent_id: Option<Option<Snowflake>>,
    /// New slow mode.
    pub rate_limit_per_user: Option<i64>,
    /// New nsfw flag.
    pub nsfw: Option<bool>,
    /// Threads: archive or unarchive.
    pub archived: Option<bool>,
    /// Threads: lock or unlock.
    pub locked: Option<bool>,
    /// Threads: auto-archive minutes.
    pub auto_archive_duration: Option<i64>,
    /// Replace every overwrite.
    pub overwrites: Option<Vec<Overwrite>>,
}

const COLUMNS: &str = "id, guild_id, type, name, position, parent_id, topic, last_message_id, nsfw, rate_limit_per_user, \
owner_id, archived, locked, auto_archive_duration, archive_timestamp, message_count, last_pin_timestamp, created_at, icon";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Channel> {
    Ok(Channel {
        id: row.get(0)?,
        guild_id: row.get(1)?,
        kind: ChannelKind::from_code(row.get(2)?),
        name: row.get(3)?,
        position: row.get(4)?,
        parent_id: row.get(5)?,
        topic: row.get(6)?,
        last_message_id: row.get(7)?,
        nsfw: row.get(8)?,
        rate_limit_per_user: row.get(9)?,
        owner_id: row.get(10)?,
        archived: row.get(11)?,
        locked: row.get(12)?,
        auto_archive_duration: row.get(13)?,
        archive_timestamp: row.get(14)?,
        message_count: row.get(15)?,
        last_pin_timestamp: row.get(16)?,
        created_at: row.get(17)?,
        icon: row.get(18)?,
        overwrites: Vec::new(),
    })
}

fn overwrites_of(conn: &Connection, channel_id: Snowflake) -> Result<Vec<Overwrite>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT target_id, kind, allow, deny FROM channel_overwrites WHERE channel_id = ?1 ORDER BY kind, target_id",
    )?;
    let rows = stmt.query_map([channel_id], |row| {
        Ok(Overwrite {
            target_id: row.get(0)?,
            kind: row.get(1)?,
            allow: row.get::<_, i64>(2)? as u64,
            deny: row.get::<_, i64>(3)? as u64,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn with_overwrites(conn: &Connection, mut channel: Channel) -> Result<Channel, StoreError> {
    channel.overwrites = overwrites_of(conn, channel.id)?;
    Ok(channel)
}

/// Rows of `SELECT {COLUMNS} FROM channels …` (no overwrites: DMs have none).
pub(super) fn select(
    conn: &Connection,
    filter: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<Channel>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM channels {filter}"))?;
    let rows = stmt.query_map(params, from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One channel by id.
pub(super) fn by_id(conn: &Connection, id: Snowflake) -> Result<Option<Channel>, StoreError> {
    match conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM channels WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional_row()?
    {
        Some(channel) => Ok(Some(with_overwrites(conn, channel)?)),
        None => Ok(None),
    }
}

/// Every non-thread channel of a guild, by position; and (if `threads`) the active threads too.
pub(super) fn of_guild(conn: &Connection, guild_id: Snowflake, threads: bool) -> Result<Vec<Channel>, StoreError> {
    let filter = if threads {
        "type IN (11, 12) AND archived = 0"
    } else {
        "type NOT IN (11, 12)"
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM channels WHERE guild_id = ?1 AND {filter} ORDER BY position, id"
    ))?;
    let channels: Vec<Channel> = stmt.query_map([guild_id], from_row)?.collect::<Result<_, _>>()?;
    channels.into_iter().map(|c| with_overwrites(conn, c)).collect()
}

fn write_overwrites(conn: &Connection, channel_id: Snowflake, overwrites: &[Overwrite]) -> Result<(), StoreError> {
    conn.execute("DELETE FROM channel_overwrites WHERE channel_id = ?1", [channel_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT OR REPLACE INTO channel_overwrites (channel_id, target_id, kind, allow, deny) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for o in overwrites {
        insert.execute(params![channel_id, o.target_id, o.kind, o.allow as i64, o.deny as i64])?;
    }
    Ok(())
}

/// Inserts a channel in the caller's transaction.
pub(super) fn insert(conn: &Connection, id: Snowflake, new: &NewChannel, now: Millis) -> Result<Channel, StoreError> {
    let position = match new.position {
        Some(p) => p,
        None => conn.query_row(
            "SELECT coalesce(max(position) + 1, 0) FROM channels WHERE guild_id = ?1 AND type NOT IN (11, 12)",
            [new.guild_id],
            |row| row.get(0),
        )?,
    };
    conn.execute(
        "INSERT INTO channels (id, guild_id, type, name, position, parent_id, topic, owner_id, auto_archive_duration,
                               rate_limit_per_user, nsfw, created_at, archive_timestamp)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, CASE WHEN ?3 IN (11, 12) THEN ?12 END)",
        params![
            id,
            new.guild_id,
            new.kind,
            new.name,
            position,
            new.parent_id,
            new.topic,
            new.owner_id,
            new.auto_archive_duration.unwrap_or(1440),
            new.rate_limit_per_user,
            new.nsfw,
            now
        ],
    )?;
    write_overwrites(conn, id, &new.overwrites)?;
    by_id(conn, id)?.ok_or(StoreError::NotFound)
}

impl Store {
    /// Creates a channel or thread.
    pub async fn channel_create(&self, new: NewChannel, now: Millis) -> Result<Channel, StoreError> {
        let id = new.id.unwrap_or_else(|| self.next_id());
        self.write(move |tx| {
            insert(tx, id, &new, now).map_err(|e| match e {
                StoreError::Sqlite(e) => StoreError::on_unique("channel id")(e),
                other => other,
            })
        })
        .await
    }

    /// One channel by id.
    pub async fn channel_get(&self, id: Snowflake) -> Result<Option<Channel>, StoreError> {
        self.read(move |conn| by_id(conn, id)).await
    }

    /// The guild's channels (without threads).
    pub async fn channels_of_guild(&self, guild_id: Snowflake) -> Result<Vec<Channel>, StoreError> {
        self.read(move |conn| of_guild(conn, guild_id, false)).await
    }

    /// Threads under `parent_id`, archived or active.
    pub async fn threads_of(
        &self,
        parent_id: Snowflake,
        archived: bool,
        limit: i64,
    ) -> Result<Vec<Channel>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {COLUMNS} FROM channels WHERE parent_id = ?1 AND type IN (11, 12) AND archived = ?2
                 ORDER BY coalesce(archive_timestamp, created_at) DESC LIMIT ?3"
            ))?;
            let threads: Vec<Channel> = stmt
                .query_map(params![parent_id, archived, limit], from_row)?
                .collect::<Result<_, _>>()?;
            threads.into_iter().map(|c| with_overwrites(conn, c)).collect()
        })
        .await
    }

    /// The guild's active threads.
    pub async fn active_threads(&self, guild_id: Snowflake) -> Result<Vec<Channel>, StoreError> {
        self.read(move |conn| of_guild(conn, guild_id, true)).await
    }

    /// Applies a patch and returns the channel after it. [`StoreError::NotFound`] for an unknown id.
    pub async fn channel_update(&self, id: Snowflake, patch: ChannelPatch, now: Millis) -> Result<Channel, StoreError> {
        self.write(move |tx| {
            let before = by_id(tx, id)?.ok_or(StoreError::NotFound)?;
            let topic = patch.topic.unwrap_or(before.topic);
            let parent = patch.parent_id.unwrap_or(before.parent_id);
            let archived = patch.archived.unwrap_or(before.archived);
            let archive_timestamp = if archived != before.archived {
                Some(now)
            } else {
                before.archive_timestamp
            };
            tx.execute(
                "UPDATE channels SET name = ?2, topic = ?3, position = ?4, parent_id = ?5, rate_limit_per_user = ?6,
                        nsfw = ?7, archived = ?8, locked = ?9, auto_archive_duration = ?10, archive_timestamp = ?11
                 WHERE id = ?1",
                params![
                    id,
                    patch.name.unwrap_or(before.name),
                    topic,
                    patch.position.unwrap_or(before.position),
                    parent,
                    patch.rate_limit_per_user.unwrap_or(before.rate_limit_per_user),
                    patch.nsfw.unwrap_or(before.nsfw),
                    archived,
                    patch.locked.unwrap_or(before.locked),
                    patch.auto_archive_duration.unwrap_or(before.auto_archive_duration),
                    archive_timestamp
                ],
            )?;
            if let Some(overwrites) = &patch.overwrites {
                write_overwrites(tx, id, overwrites)?;
            }
            by_id(tx, id)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    /// Deletes a channel (with its threads and messages). Returns it and its threads as they were.
    pub async fn channel_delete(&self, id: Snowflake) -> Result<(Channel, Vec<Channel>), StoreError> {
        self.write(move |tx| {
            let channel = by_id(tx, id)?.ok_or(StoreError::NotFound)?;
            let mut stmt = tx.prepare(&format!(
                "SELECT {COLUMNS} FROM channels WHERE parent_id = ?1 AND type IN (11, 12)"
            ))?;
            let threads: Vec<Channel> = stmt.query_map([id], from_row)?.collect::<Result<_, _>>()?;
            tx.execute("DELETE FROM channels WHERE parent_id = ?1 AND type IN (11, 12)", [id])?;
            tx.execute("DELETE FROM channels WHERE id = ?1", [id])?;
            Ok((channel, threads))
        })
        .await
    }

    /// Adds a member to a thread; `false` if they already were one.
    pub async fn thread_member_add(
        &self,
        thread_id: Snowflake,
        user_id: Snowflake,
        now: Millis,
    ) -> Result<bool, StoreError> {
        self.write(move |tx| {
            let added = tx.execute(
                "INSERT OR IGNORE INTO thread_members (thread_id, user_id, joined_at) VALUES (?1, ?2, ?3)",
                params![thread_id, user_id, now],
            )?;
            Ok(added == 1)
        })
        .await
    }

    /// Removes a member from a thread; `false` if they were not one.
    pub async fn thread_member_remove(&self, thread_id: Snowflake, user_id: Snowflake) -> Result<bool, StoreError> {
        self.write(move |tx| {
            Ok(tx.execute(
                "DELETE FROM thread_members WHERE thread_id = ?1 AND user_id = ?2",
                params![thread_id, user_id],
            )? == 1)
        })
        .await
    }

    /// Whether the user is a member of the thread.
    pub async fn thread_is_member(&self, thread_id: Snowflake, user_id: Snowflake) -> Result<bool, StoreError> {
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT 1 FROM thread_members WHERE thread_id = ?1 AND user_id = ?2",
                    params![thread_id, user_id],
                    |_| Ok(()),
                )
                .optional_row()?
                .is_some())
        })
        .await
    }

    /// The private threads of the guild the user is a member of.
    pub async fn private_threads_joined(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
    ) -> Result<Vec<Snowflake>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT c.id FROM channels c JOIN thread_members t ON t.thread_id = c.id
                 WHERE c.guild_id = ?1 AND c.type = 12 AND t.user_id = ?2",
            )?;
            let ids = stmt
                .query_map(params![guild_id, user_id], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            Ok(ids)
        })
        .await
    }

    /// A thread's members as (user id, joined at).
    pub async fn thread_members(&self, thread_id: Snowflake) -> Result<Vec<(Snowflake, Millis)>, StoreError> {
        self.read(move |conn| {
            let mut stmt =
                conn.prepare("SELECT user_id, joined_at FROM thread_members WHERE thread_id = ?1 ORDER BY joined_at")?;
            let rows = stmt.query_map([thread_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }
}

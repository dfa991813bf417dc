//! Direct messages and group DMs: who is in them (`dm_recipients`), the one DM per pair (`dm_pairs`), blocks,
//! and each user's DM setting. The channels themselves are rows of `channels` with no guild.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::channels::{self, Channel, NewChannel};
use super::{Snowflake, Store, StoreError, User, users};
use crate::clock::Millis;

/// A DM or group DM with everyone in it (the reader included).
#[derive(Debug, Clone)]
pub struct PrivateChannel {
    /// The channel.
    pub channel: Channel,
    /// Everyone in it, in the order they joined.
    pub people: Vec<User>,
}

/// What leaving a group DM did.
#[derive(Debug, Clone)]
pub enum Departure {
    /// They were not in it.
    NotIn,
    /// They left; the group goes on (with a new owner when the owner left).
    Left {
        /// The group after they left.
        group: PrivateChannel,
        /// The owner changed.
        new_owner: bool,
    },
    /// They were the last one: the group and its messages are gone.
    Deleted(Channel),
}

fn people_of(conn: &Connection, channel_id: Snowflake) -> Result<Vec<User>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM dm_recipients r JOIN users u ON u.id = r.user_id WHERE r.channel_id = ?1
         ORDER BY r.joined_at, u.id",
        prefixed("u")
    ))?;
    let rows = stmt.query_map([channel_id], users::from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn prefixed(table: &str) -> String {
    users::COLUMNS
        .split(", ")
        .map(|c| format!("{table}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn load(conn: &Connection, channel_id: Snowflake) -> Result<Option<PrivateChannel>, StoreError> {
    let Some(channel) = channels::by_id(conn, channel_id)?.filter(|c| c.kind.is_private()) else {
        return Ok(None);
    };
    Ok(Some(PrivateChannel {
        people: people_of(conn, channel_id)?,
        channel,
    }))
}

fn add_recipient(
    conn: &Connection,
    channel_id: Snowflake,
    user_id: Snowflake,
    now: Millis,
) -> Result<bool, StoreError> {
    Ok(conn.execute(
        "INSERT OR IGNORE INTO dm_recipients (channel_id, user_id, joined_at) VALUES (?1, ?2, ?3)",
        params![channel_id, user_id, now],
    )? == 1)
}

fn new_private(kind: i64, name: String, owner: Snowflake) -> NewChannel {
    NewChannel {
        guild_id: None,
        kind,
        name,
        position: Some(0),
        owner_id: Some(owner),
        ..NewChannel::default()
    }
}

impl Store {
    /// Opens the DM between `opener` and `other`: the existing one (reopened for the opener) or a new one, in
    /// which `other` sees it only once a message arrives. Returns it and whether it was opened for the opener
    /// just now (new, or closed before).
    pub async fn dm_open(
        &self,
        opener: Snowflake,
        other: Snowflake,
        now: Millis,
    ) -> Result<(PrivateChannel, bool), StoreError> {
        let fresh_id = self.next_id();
        self.write(move |tx| {
            let (low, high) = (opener.min(other), opener.max(other));
            let existing: Option<Snowflake> = tx
                .query_row(
                    "SELECT channel_id FROM dm_pairs WHERE low_id = ?1 AND high_id = ?2",
                    params![low, high],
                    |row| row.get(0),
                )
                .optional()?;
            let (id, opened) = match existing {
                Some(id) => {
                    let opened = tx.execute(
                        "UPDATE dm_recipients SET open = 1 WHERE channel_id = ?1 AND user_id = ?2 AND open = 0",
                        params![id, opener],
                    )? == 1;
                    (id, opened)
                }
                None => {
                    channels::insert(tx, fresh_id, &new_private(1, String::new(), opener), now)?;
                    tx.execute(
                        "INSERT INTO dm_pairs (low_id, high_id, channel_id) VALUES (?1, ?2, ?3)",
                        params![low, high, fresh_id],
                    )?;
                    add_recipient(tx, fresh_id, opener, now)?;
                    add_recipient(tx, fresh_id, other, now)?;
                    tx.execute(
                        "UPDATE dm_recipients SET open = 0 WHERE channel_id = ?1 AND user_id = ?2",
                        params![fresh_id, other],
                    )?;
                    (fresh_id, true)
                }
            };
            Ok((load(tx, id)?.ok_or(StoreError::NotFound)?, opened))
        })
        .await
    }

    /// Creates a group DM owned by `owner` with `others` (ids already checked to exist).
    pub async fn group_dm_create(
        &self,
        owner: Snowflake,
        others: Vec<Snowflake>,
        name: String,
        now: Millis,
    ) -> Result<PrivateChannel, StoreError> {
        let id = self.next_id();
        self.write(move |tx| {
            channels::insert(tx, id, &new_private(3, name, owner), now)?;
            add_recipient(tx, id, owner, now)?;
            for user in others {
                add_recipient(tx, id, user, now)?;
            }
            load(tx, id)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    /// A DM or group DM with everyone in it; `None` for an unknown id or a guild channel.
    pub async fn private_channel(&self, channel_id: Snowflake) -> Result<Option<PrivateChannel>, StoreError> {
        self.read(move |conn| load(conn, channel_id)).await
    }

    /// The ids of the people in a DM or group DM.
    pub async fn dm_recipient_ids(&self, channel_id: Snowflake) -> Result<Vec<Snowflake>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached("SELECT user_id FROM dm_recipients WHERE channel_id = ?1")?;
            let rows = stmt.query_map([channel_id], |row| row.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// The user's open DMs and group DMs, newest activity first, with everyone in them: two queries whatever
    /// their number.
    pub async fn private_channels_of(&self, user_id: Snowflake) -> Result<Vec<PrivateChannel>, StoreError> {
        self.read(move |conn| {
            let list = channels::select(
                conn,
                "WHERE id IN (SELECT channel_id FROM dm_recipients WHERE user_id = ?1 AND open = 1)
                 ORDER BY coalesce(last_message_id, id) DESC",
                [user_id],
            )?;
            let mut people: HashMap<Snowflake, Vec<User>> = HashMap::new();
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT r.channel_id, {} FROM dm_recipients r JOIN users u ON u.id = r.user_id
                 WHERE r.channel_id IN (SELECT channel_id FROM dm_recipients WHERE user_id = ?1 AND open = 1)
                 ORDER BY r.joined_at, u.id",
                prefixed("u")
            ))?;
            let mut rows = stmt.query([user_id])?;
            while let Some(row) = rows.next()? {
                let channel: Snowflake = row.get(0)?;
                let user = users::from_row_at(row, 1)?;
                people.entry(channel).or_default().push(user);
            }
            Ok(list
                .into_iter()
                .map(|channel| PrivateChannel {
                    people: people.remove(&channel.id).unwrap_or_default(),
                    channel,
                })
                .collect())
        })
        .await
    }

    /// Marks a DM open for everyone in it (a message arrived); returns who had it closed.
    pub async fn dm_reopen(&self, channel_id: Snowflake) -> Result<Vec<Snowflake>, StoreError> {
        self.write(move |tx| {
            let mut stmt = tx.prepare_cached(
                "UPDATE dm_recipients SET open = 1 WHERE channel_id = ?1 AND open = 0 RETURNING user_id",
            )?;
            let rows = stmt.query_map([channel_id], |row| row.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Closes a DM for one of its two people (it reopens with the next message); `false` if it was not open.
    pub async fn dm_close(&self, channel_id: Snowflake, user_id: Snowflake) -> Result<bool, StoreError> {
        self.write(move |tx| {
            Ok(tx.execute(
                "UPDATE dm_recipients SET open = 0 WHERE channel_id = ?1 AND user_id = ?2 AND open = 1",
                params![channel_id, user_id],
            )? == 1)
        })
        .await
    }

    /// Adds someone to a group DM if it has fewer than `max` people; `Ok(None)` when full, `Ok(Some(false))`
    /// when they were already in it.
    pub async fn group_dm_add(
        &self,
        channel_id: Snowflake,
        user_id: Snowflake,
        max: usize,
        now: Millis,
    ) -> Result<Option<(bool, PrivateChannel)>, StoreError> {
        self.write(move |tx| {
            let count: i64 = tx.query_row(
                "SELECT count(*) FROM dm_recipients WHERE channel_id = ?1",
                [channel_id],
                |row| row.get(0),
            )?;
            let present: bool = tx
                .query_row(
                    "SELECT 1 FROM dm_recipients WHERE channel_id = ?1 AND user_id = ?2",
                    params![channel_id, user_id],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if !present && count as usize >= max {
                return Ok(None);
            }
            let added = add_recipient(tx, channel_id, user_id, now)?;
            Ok(Some((added, load(tx, channel_id)?.ok_or(StoreError::NotFound)?)))
        })
        .await
    }

    /// Takes someone out of a group DM. The owner leaving hands the group to whoever joined first after them;
    /// the last one leaving deletes it.
    pub async fn group_dm_remove(&self, channel_id: Snowflake, user_id: Snowflake) -> Result<Departure, StoreError> {
        self.write(move |tx| {
            let removed = tx.execute(
                "DELETE FROM dm_recipients WHERE channel_id = ?1 AND user_id = ?2",
                params![channel_id, user_id],
            )? == 1;
            if !removed {
                return Ok(Departure::NotIn);
            }
            let Some(mut group) = load(tx, channel_id)? else {
                return Ok(Departure::NotIn);
            };
            let Some(heir) = group.people.first().map(|u| u.id) else {
                tx.execute("DELETE FROM channels WHERE id = ?1", [channel_id])?;
                return Ok(Departure::Deleted(group.channel));
            };
            let new_owner = group.channel.owner_id == Some(user_id);
            if new_owner {
                tx.execute(
                    "UPDATE channels SET owner_id = ?2 WHERE id = ?1",
                    params![channel_id, heir],
                )?;
                group.channel.owner_id = Some(heir);
            }
            Ok(Departure::Left { group, new_owner })
        })
        .await
    }

    /// Renames a group DM and/or changes its icon (`Some(None)` clears it).
    pub async fn group_dm_update(
        &self,
        channel_id: Snowflake,
        name: Option<String>,
        icon: Option<Option<String>>,
    ) -> Result<PrivateChannel, StoreError> {
        self.write(move |tx| {
            if let Some(name) = name {
                tx.execute("UPDATE channels SET name = ?2 WHERE id = ?1", params![channel_id, name])?;
            }
            if let Some(icon) = icon {
                tx.execute("UPDATE channels SET icon = ?2 WHERE id = ?1", params![channel_id, icon])?;
            }
            load(tx, channel_id)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    /// `user_id` blocks `blocked_id`; `false` if they already had.
    pub async fn block(&self, user_id: Snowflake, blocked_id: Snowflake, now: Millis) -> Result<bool, StoreError> {
        self.write(move |tx| {
            Ok(tx.execute(
                "INSERT OR IGNORE INTO blocks (user_id, blocked_id, created_at) VALUES (?1, ?2, ?3)",
                params![user_id, blocked_id, now],
            )? == 1)
        })
        .await
    }

    /// Ends a block; `false` if there was none.
    pub async fn unblock(&self, user_id: Snowflake, blocked_id: Snowflake) -> Result<bool, StoreError> {
        self.write(move |tx| {
            Ok(tx.execute(
                "DELETE FROM blocks WHERE user_id = ?1 AND blocked_id = ?2",
                params![user_id, blocked_id],
            )? == 1)
        })
        .await
    }

    /// Everyone the user blocked, with when.
    pub async fn blocks_of(&self, user_id: Snowflake) -> Result<Vec<(User, Millis)>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {}, b.created_at FROM blocks b JOIN users u ON u.id = b.blocked_id WHERE b.user_id = ?1
                 ORDER BY b.created_at",
                prefixed("u")
            ))?;
            let rows = stmt.query_map([user_id], |row| {
                Ok((users::from_row(row)?, row.get(users::COLUMNS.split(", ").count())?))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Whether `user_id` blocked `other`.
    pub async fn has_blocked(&self, user_id: Snowflake, other: Snowflake) -> Result<bool, StoreError> {
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT 1 FROM blocks WHERE user_id = ?1 AND blocked_id = ?2",
                    params![user_id, other],
                    |_| Ok(()),
                )
                .optional()?
                .is_some())
        })
        .await
    }

    /// Whether the user refuses DMs from people in the space.
    pub async fn dms_restricted(&self, user_id: Snowflake) -> Result<bool, StoreError> {
        self.read(move |conn| {
            Ok(conn
                .query_row("SELECT dms_restricted FROM users WHERE id = ?1", [user_id], |row| {
                    row.get(0)
                })
                .optional()?
                .unwrap_or(false))
        })
        .await
    }

    /// Sets the user's DM setting.
    pub async fn set_dms_restricted(&self, user_id: Snowflake, restricted: bool) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.execute(
                "UPDATE users SET dms_restricted = ?2 WHERE id = ?1",
                params![user_id, restricted],
            )?;
            Ok(())
        })
        .await
    }

    /// How many DMs and group DMs exist (for the admin panel: counts, never content).
    pub async fn private_channel_counts(&self) -> Result<(i64, i64), StoreError> {
        self.read(move |conn| {
            Ok(conn.query_row(
                "SELECT count(*) FILTER (WHERE type = 1), count(*) FILTER (WHERE type = 3) FROM channels
                 WHERE guild_id IS NULL",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?)
        })
        .await
    }
}

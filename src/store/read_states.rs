//! Read state: the newest message each user has seen per channel, and how many mentions of them came after it.

use rusqlite::params;

use super::{Snowflake, Store, StoreError};

/// One channel's read state for one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadState {
    /// The channel.
    pub channel_id: Snowflake,
    /// Newest message read (0: none).
    pub last_message_id: Snowflake,
    /// Messages after it that mention the user (or everyone).
    pub mention_count: i64,
    /// Whether the channel has messages after it.
    pub unread: bool,
}

impl Store {
    /// Marks `channel_id` read up to `message_id` (never moving backwards).
    pub async fn read_state_ack(
        &self,
        user_id: Snowflake,
        channel_id: Snowflake,
        message_id: Snowflake,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO read_states (user_id, channel_id, last_message_id) VALUES (?1, ?2, ?3)
                 ON CONFLICT (user_id, channel_id) DO UPDATE SET last_message_id = max(last_message_id, excluded.last_message_id)",
                params![user_id, channel_id, message_id],
            )?;
            Ok(())
        })
        .await
    }

    /// The read state of every text channel and thread of the home space, and of the user's DMs and group DMs,
    /// with mention counts (in a DM every message from someone else counts, as on Discord).
    pub async fn read_states(&self, user_id: Snowflake) -> Result<Vec<ReadState>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT c.id, coalesce(r.last_message_id, 0), coalesce(c.last_message_id, 0),
                        (SELECT count(*) FROM messages m
                          WHERE m.channel_id = c.id AND m.id > coalesce(r.last_message_id, 0) AND m.author_id != ?1
                            AND (m.mention_everyone = 1 OR c.guild_id IS NULL
                                 OR EXISTS (SELECT 1 FROM json_each(m.mentions) j WHERE j.value = CAST(?1 AS TEXT))))
                 FROM channels c LEFT JOIN read_states r ON r.channel_id = c.id AND r.user_id = ?1
                 WHERE c.type IN (0, 2, 11, 12)
                    OR c.id IN (SELECT channel_id FROM dm_recipients WHERE user_id = ?1)
                 ORDER BY c.id",
            )?;
            let rows = stmt.query_map([user_id], |row| {
                let last_read: Snowflake = row.get(1)?;
                let newest: Snowflake = row.get(2)?;
                Ok(ReadState {
                    channel_id: row.get(0)?,
                    last_message_id: last_read,
                    mention_count: row.get(3)?,
                    unread: newest > last_read,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }
}

//! Reactions (unicode emoji) and full-text search over messages.

use rusqlite::params;

use super::message_rows as messages;
use super::messages::Message;
use super::users::{self, User};
use super::{Snowflake, Store, StoreError};
use crate::clock::Millis;

impl Store {
    /// Adds a reaction; `Ok(false)` if the user had already reacted with that emoji.
    /// [`StoreError::NotFound`] if the message is not in the channel.
    pub async fn reaction_add(
        &self,
        channel_id: Snowflake,
        message_id: Snowflake,
        emoji: String,
        user_id: Snowflake,
        now: Millis,
    ) -> Result<bool, StoreError> {
        self.write(move |tx| {
            messages::by_id(tx, channel_id, message_id, user_id, 1)?.ok_or(StoreError::NotFound)?;
            let added = tx.execute(
                "INSERT OR IGNORE INTO reactions (message_id, emoji, user_id, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![message_id, emoji, user_id, now],
            )?;
            Ok(added == 1)
        })
        .await
    }

    /// Removes one user's reaction; `Ok(false)` if there was none.
    pub async fn reaction_remove(
        &self,
        channel_id: Snowflake,
        message_id: Snowflake,
        emoji: String,
        user_id: Snowflake,
    ) -> Result<bool, StoreError> {
        self.write(move |tx| {
            messages::by_id(tx, channel_id, message_id, user_id, 1)?.ok_or(StoreError::NotFound)?;
            let removed = tx.execute(
                "DELETE FROM reactions WHERE message_id = ?1 AND emoji = ?2 AND user_id = ?3",
                params![message_id, emoji, user_id],
            )?;
            Ok(removed == 1)
        })
        .await
    }

    /// Removes every reaction (or every reaction with `emoji`) from a message.
    pub async fn reactions_clear(
        &self,
        channel_id: Snowflake,
        message_id: Snowflake,
        emoji: Option<String>,
    ) -> Result<usize, StoreError> {
        self.write(move |tx| {
            messages::by_id(tx, channel_id, message_id, 0, 1)?.ok_or(StoreError::NotFound)?;
            Ok(tx.execute(
                "DELETE FROM reactions WHERE message_id = ?1 AND (?2 IS NULL OR emoji = ?2)",
                params![message_id, emoji],
            )?)
        })
        .await
    }

    /// Users who reacted with `emoji`, with ids greater than `after`, up to `limit`.
    pub async fn reaction_users(
        &self,
        channel_id: Snowflake,
        message_id: Snowflake,
        emoji: String,
        after: Snowflake,
        limit: i64,
    ) -> Result<Vec<User>, StoreError> {
        self.read(move |conn| {
            messages::by_id(conn, channel_id, message_id, 0, 1)?.ok_or(StoreError::NotFound)?;
            let mut stmt = conn.prepare(
                "SELECT user_id FROM reactions WHERE message_id = ?1 AND emoji = ?2 AND user_id > ?3 ORDER BY user_id LIMIT ?4",
            )?;
            let ids: Vec<Snowflake> =
                stmt.query_map(params![message_id, emoji, after, limit], |row| row.get(0))?.collect::<Result<_, _>>()?;
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(user) = users::by_id(conn, id)? {
                    out.push(user);
                }
            }
            Ok(out)
        })
        .await
    }

    /// Full-text search in the given channels; returns the total number of hits and one page, newest first.
    pub async fn messages_search(
        &self,
        channel_ids: Vec<Snowflake>,
        query: String,
        offset: i64,
        limit: i64,
        viewer: Snowflake,
    ) -> Result<(i64, Vec<Message>), StoreError> {
        self.read(move |conn| {
            if channel_ids.is_empty() {
                return Ok((0, Vec::new()));
            }
            let channels = serde_json::to_string(&channel_ids).unwrap_or_else(|_| "[]".into());
            let fts = fts_query(&query);
            let total: i64 = conn.query_row(
                "SELECT count(*) FROM messages_fts f JOIN messages m ON m.id = f.rowid
                 WHERE messages_fts MATCH ?1 AND m.channel_id IN (SELECT value FROM json_each(?2))",
                params![fts, channels],
                |row| row.get(0),
            )?;
            let mut stmt = conn.prepare(
                "SELECT m.id, m.channel_id FROM messages_fts f JOIN messages m ON m.id = f.rowid
                 WHERE messages_fts MATCH ?1 AND m.channel_id IN (SELECT value FROM json_each(?2))
                 ORDER BY m.id DESC LIMIT ?3 OFFSET ?4",
            )?;
            let hits: Vec<(Snowflake, Snowflake)> = stmt
                .query_map(params![fts, channels, limit, offset], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?
                .collect::<Result<_, _>>()?;
            let mut found = Vec::with_capacity(hits.len());
            for (id, channel) in hits {
                if let Some(message) = messages::by_id(conn, channel, id, viewer, 0)? {
                    found.push(message);
                }
            }
            Ok((total, found))
        })
        .await
    }
}

/// Turns what a person typed into an FTS5 query: every word must appear (as a prefix for the last one), and
/// FTS syntax characters are treated as text, so no input can make the query fail.
pub(super) fn fts_query(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect();
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {last}*", rest.join(" ")),
        Some((last, _)) => format!("{last}*"),
        None => "\"\"".to_owned(),
    }
}

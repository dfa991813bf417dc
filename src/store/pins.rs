//! Pins: pinning and unpinning messages, and the pinned list.

use rusqlite::params;

use super::message_rows::{COLUMN_COUNT, COLUMNS, Raw, by_id, load, raw};
use super::messages::Message;
use super::{Snowflake, Store, StoreError};
use crate::clock::Millis;

impl Store {
    /// Pinned messages, most recently pinned first.
    pub async fn pins(&self, channel_id: Snowflake, viewer: Snowflake) -> Result<Vec<(Message, Millis)>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {COLUMNS}, pinned_at FROM messages WHERE channel_id = ?1 AND pinned = 1 ORDER BY pinned_at DESC, id DESC"
            ))?;
            let rows: Vec<(Raw, Millis)> =
                stmt.query_map([channel_id], |row| Ok((raw(row)?, row.get(COLUMN_COUNT)?)))?.collect::<Result<_, _>>()?;
            rows.into_iter().map(|(r, at)| Ok((load(conn, r, viewer, 0)?, at))).collect()
        })
        .await
    }

    /// Sets or clears the pinned flag; returns the message, or `None` if nothing changed.
    pub async fn message_set_pinned(
        &self,
        channel_id: Snowflake,
        id: Snowflake,
        pinned: bool,
        now: Millis,
    ) -> Result<Option<Message>, StoreError> {
        self.write(move |tx| {
            let message = by_id(tx, channel_id, id, 0, 1)?.ok_or(StoreError::NotFound)?;
            if message.pinned == pinned {
                return Ok(None);
            }
            tx.execute(
                "UPDATE messages SET pinned = ?2, pinned_at = CASE WHEN ?2 THEN ?3 END WHERE id = ?1",
                params![id, pinned, now],
            )?;
            if pinned {
                tx.execute(
                    "UPDATE channels SET last_pin_timestamp = ?2 WHERE id = ?1",
                    params![channel_id, now],
                )?;
            }
            by_id(tx, channel_id, id, 0, 0)
        })
        .await
    }
}

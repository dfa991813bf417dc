//! Webhooks: a name and avatar that post into one channel with a secret token. Each has a user row (never a
//! member, never able to log in) so its messages reference users like every other message; deleting a webhook
//! keeps that row, so what it posted stays readable.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Snowflake, Store, StoreError};
use crate::clock::Millis;

/// A webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// Snowflake (also its user's id).
    pub id: Snowflake,
    /// The space.
    pub guild_id: Snowflake,
    /// Where it posts.
    pub channel_id: Snowflake,
    /// Its name.
    pub name: String,
    /// Avatar hash.
    pub avatar: Option<String>,
    /// Who made it.
    pub creator_id: Option<Snowflake>,
    /// SHA-256 of its token.
    pub token_hash: [u8; 32],
}

const COLUMNS: &str = "id, guild_id, channel_id, name, avatar, creator_id, token_hash";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Webhook> {
    Ok(Webhook {
        id: row.get(0)?,
        guild_id: row.get(1)?,
        channel_id: row.get(2)?,
        name: row.get(3)?,
        avatar: row.get(4)?,
        creator_id: row.get(5)?,
        token_hash: row.get(6)?,
    })
}

fn by_id(conn: &Connection, id: Snowflake) -> Result<Option<Webhook>, StoreError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM webhooks WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// What may change.
#[derive(Debug, Clone, Default)]
pub struct WebhookPatch {
    /// New name.
    pub name: Option<String>,
    /// New avatar (`Some(None)` removes it).
    pub avatar: Option<Option<String>>,
    /// Another channel of the space.
    pub channel_id: Option<Snowflake>,
}

impl Store {
    /// Makes a webhook (and its user row).
    pub async fn webhook_create(
        &self,
        guild_id: Snowflake,
        channel_id: Snowflake,
        name: String,
        creator_id: Snowflake,
        token_hash: [u8; 32],
        now: Millis,
    ) -> Result<Webhook, StoreError> {
        let id = self.next_id();
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO users (id, username, global_name, password_hash, is_bot, is_webhook, created_at)
                 VALUES (?1, ?2, ?3, NULL, 1, 1, ?4)",
                params![id, format!("webhook-{id}"), name, now],
            )?;
            tx.execute(
                "INSERT INTO webhooks (id, guild_id, channel_id, name, token_hash, creator_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, guild_id, channel_id, name, token_hash.as_slice(), creator_id, now],
            )?;
            by_id(tx, id)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    /// The webhook with this id.
    pub async fn webhook_get(&self, id: Snowflake) -> Result<Option<Webhook>, StoreError> {
        self.read(move |conn| by_id(conn, id)).await
    }

    /// The webhooks of a channel, or of the whole space (`channel_id` None).
    pub async fn webhooks_list(
        &self,
        guild_id: Snowflake,
        channel_id: Option<Snowflake>,
    ) -> Result<Vec<Webhook>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM webhooks WHERE guild_id = ?1 AND (?2 IS NULL OR channel_id = ?2) ORDER BY id"
            ))?;
            let rows = stmt.query_map(params![guild_id, channel_id], from_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Changes a webhook; its user row follows its name and avatar.
    pub async fn webhook_update(&self, id: Snowflake, patch: WebhookPatch) -> Result<Webhook, StoreError> {
        self.write(move |tx| {
            if let Some(name) = &patch.name {
                tx.execute("UPDATE webhooks SET name = ?2 WHERE id = ?1", params![id, name])?;
                tx.execute("UPDATE users SET global_name = ?2 WHERE id = ?1", params![id, name])?;
            }
            if let Some(avatar) = &patch.avatar {
                tx.execute("UPDATE webhooks SET avatar = ?2 WHERE id = ?1", params![id, avatar])?;
            }
            if let Some(channel) = patch.channel_id {
                tx.execute(
                    "UPDATE webhooks SET channel_id = ?2 WHERE id = ?1",
                    params![id, channel],
                )?;
            }
            by_id(tx, id)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    /// The channel a message is in.
    pub async fn message_channel(&self, message_id: Snowflake) -> Result<Option<Snowflake>, StoreError> {
        self.read(move |conn| {
            Ok(conn
                .query_row("SELECT channel_id FROM messages WHERE id = ?1", [message_id], |row| {
                    row.get(0)
                })
                .optional()?)
        })
        .await
    }

    /// Deletes a webhook; its messages stay (its user row is kept, disabled).
    pub async fn webhook_delete(&self, id: Snowflake) -> Result<bool, StoreError> {
        self.write(move |tx| {
            let gone = tx.execute("DELETE FROM webhooks WHERE id = ?1", [id])? > 0;
            tx.execute("UPDATE users SET disabled = 1 WHERE id = ?1 AND is_webhook = 1", [id])?;
            Ok(gone)
        })
        .await
    }
}

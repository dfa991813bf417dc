//! Web Push subscriptions (one per browser session; gone with the session, or when the push service says the
//! subscription expired) and the instance's VAPID key.

use rusqlite::{OptionalExtension, params};

use super::{Snowflake, Store, StoreError};
use crate::clock::Millis;

/// Where to push for one browser session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushSubscription {
    /// The push service URL.
    pub endpoint: String,
    /// Whose.
    pub user_id: Snowflake,
    /// The browser's P-256 public key (uncompressed point, 65 bytes).
    pub p256dh: Vec<u8>,
    /// The browser's authentication secret (16 bytes).
    pub auth: Vec<u8>,
    /// When it was added.
    pub created_at: Millis,
}

impl Store {
    /// Stores (or moves to this session) the subscription at `endpoint`.
    pub async fn push_subscribe(
        &self,
        session_hash: [u8; 32],
        subscription: PushSubscription,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO push_subscriptions (endpoint, session_hash, user_id, p256dh, auth, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(endpoint) DO UPDATE SET session_hash = ?2, user_id = ?3, p256dh = ?4, auth = ?5",
                params![
                    subscription.endpoint,
                    session_hash.as_slice(),
                    subscription.user_id,
                    subscription.p256dh,
                    subscription.auth,
                    subscription.created_at
                ],
            )?;
            Ok(())
        })
        .await
    }

    /// Removes the session's subscriptions; returns how many there were.
    pub async fn push_unsubscribe_session(&self, session_hash: [u8; 32]) -> Result<usize, StoreError> {
        self.write(move |tx| {
            Ok(tx.execute(
                "DELETE FROM push_subscriptions WHERE session_hash = ?1",
                [session_hash.as_slice()],
            )?)
        })
        .await
    }

    /// Removes a subscription the push service no longer knows (404 / 410).
    pub async fn push_forget(&self, endpoint: String) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.execute("DELETE FROM push_subscriptions WHERE endpoint = ?1", [endpoint])?;
            Ok(())
        })
        .await
    }

    /// Whether the session has a subscription.
    pub async fn push_session_subscribed(&self, session_hash: [u8; 32]) -> Result<bool, StoreError> {
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT 1 FROM push_subscriptions WHERE session_hash = ?1 LIMIT 1",
                    [session_hash.as_slice()],
                    |_| Ok(()),
                )
                .optional()?
                .is_some())
        })
        .await
    }

    /// Everyone with at least one subscription.
    pub async fn push_subscribed_users(&self) -> Result<Vec<Snowflake>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached("SELECT DISTINCT user_id FROM push_subscriptions")?;
            let rows = stmt.query_map([], |row| row.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Who wrote a message (a call's "started a call" message names the caller).
    pub async fn message_author(&self, message_id: Snowflake) -> Result<Option<Snowflake>, StoreError> {
        self.read(move |conn| {
            Ok(conn
                .query_row("SELECT author_id FROM messages WHERE id = ?1", [message_id], |row| {
                    row.get(0)
                })
                .optional()?)
        })
        .await
    }

    /// Every subscription of these users.
    pub async fn push_subscriptions_of(&self, users: Vec<Snowflake>) -> Result<Vec<PushSubscription>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT endpoint, user_id, p256dh, auth, created_at FROM push_subscriptions WHERE user_id = ?1",
            )?;
            let mut out = Vec::new();
            for user in users {
                let rows = stmt.query_map([user], |row| {
                    Ok(PushSubscription {
                        endpoint: row.get(0)?,
                        user_id: row.get(1)?,
                        p256dh: row.get(2)?,
                        auth: row.get(3)?,
                        created_at: row.get(4)?,
                    })
                })?;
                for row in rows {
                    out.push(row?);
                }
            }
            Ok(out)
        })
        .await
    }

    /// The instance key called `name`, made by `create` and stored the first time it is asked for.
    pub async fn instance_key(
        &self,
        name: &'static str,
        create: impl FnOnce() -> Vec<u8> + Send + 'static,
    ) -> Result<Vec<u8>, StoreError> {
        self.write(move |tx| {
            let existing: Option<Vec<u8>> = tx
                .query_row("SELECT value FROM instance_keys WHERE name = ?1", [name], |row| {
                    row.get(0)
                })
                .optional()?;
            if let Some(value) = existing {
                return Ok(value);
            }
            let value = create();
            tx.execute(
                "INSERT INTO instance_keys (name, value) VALUES (?1, ?2)",
                params![name, value],
            )?;
            Ok(value)
        })
        .await
    }
}

//! Bot accounts: users with `is_bot` and a token; only the token's SHA-256 is stored.

use rusqlite::params;

use super::error::{CachedRow, OptionalRow};
use super::users::{self, NewUser, User};
use super::{Snowflake, Store, StoreError};
use crate::clock::Millis;

impl Store {
    /// Creates a bot user `id` (from [`Store::next_id`]; a member of the home space) with the given token hash, and — as Discord does for
    /// bots — a role named after it carrying `permissions`, assigned to it.
    pub async fn bot_create(
        &self,
        id: Snowflake,
        username: String,
        token_hash: [u8; 32],
        permissions: u64,
        now: Millis,
    ) -> Result<User, StoreError> {
        let role_id = self.next_id();
        self.write(move |tx| {
            let new = NewUser { username: username.clone(), password_hash: None, is_admin: false, is_bot: true };
            let user = users::insert(tx, id, &new, now)?;
            tx.execute(
                "INSERT INTO bot_tokens (user_id, token_hash, created_at) VALUES (?1, ?2, ?3)",
                params![id, token_hash, now],
            )?;
            tx.execute(
                "INSERT INTO roles (id, guild_id, name, permissions, position)
                 SELECT ?1, g.id, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM roles WHERE guild_id = g.id)
                 FROM guilds g ORDER BY g.id LIMIT 1",
                params![role_id, username, permissions as i64],
            )?;
            tx.execute(
                "INSERT INTO member_roles (guild_id, user_id, role_id) SELECT guild_id, ?1, id FROM roles WHERE id = ?2",
                params![id, role_id],
            )?;
            Ok(user)
        })
        .await
    }

    /// Replaces a bot's token. [`StoreError::NotFound`] if the user is not a bot.
    pub async fn bot_rotate(&self, user_id: Snowflake, token_hash: [u8; 32], now: Millis) -> Result<(), StoreError> {
        self.write(move |tx| {
            let changed = tx.execute(
                "UPDATE bot_tokens SET token_hash = ?2, created_at = ?3 WHERE user_id = ?1",
                params![user_id, token_hash, now],
            )?;
            if changed == 0 {
                Err(StoreError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }

    /// The enabled bot whose token has this hash.
    pub async fn bot_by_token(&self, token_hash: [u8; 32]) -> Result<Option<User>, StoreError> {
        self.read(move |conn| {
            let id: Option<Snowflake> = conn
                .cached_row(
                    "SELECT b.user_id FROM bot_tokens b JOIN users u ON u.id = b.user_id WHERE b.token_hash = ?1 AND u.disabled = 0",
                    [token_hash],
                    |row| row.get(0),
                )
                .optional_row()?;
            match id {
                Some(id) => users::by_id(conn, id),
                None => Ok(None),
            }
        })
        .await
    }
}

//! Users: accounts people (and later bots) log in with. Creating a user also makes them a member of the home
//! space, so every account can see the home guild.

use rusqlite::{Connection, Row, params};

use super::error::OptionalRow;
use super::{Snowflake, Store, StoreError};
use crate::clock::Millis;

/// A user account, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Snowflake id.
    pub id: Snowflake,
    /// Unique login name (case-insensitive).
    pub username: String,
    /// Display name, if set.
    pub global_name: Option<String>,
    /// Hash of the current avatar image, if any.
    pub avatar: Option<String>,
    /// May use the admin panel and admin commands.
    pub is_admin: bool,
    /// A bot account (token login only).
    pub is_bot: bool,
    /// Disabled accounts cannot log in and have no sessions.
    pub disabled: bool,
    /// When the account was created.
    pub created_at: Millis,
    /// Someone brought in with a Discord export's history: shown, never logs in.
    pub imported: bool,
}

/// A user with the stored bcrypt hash, for checking a login.
#[derive(Debug, Clone)]
pub struct UserWithHash {
    /// The account.
    pub user: User,
    /// The bcrypt hash, if the account has a password.
    pub password_hash: Option<String>,
}

/// What is needed to create a user.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name (already validated by the caller).
    pub username: String,
    /// bcrypt hash, or `None` for accounts without a password.
    pub password_hash: Option<String>,
    /// Admin from the start.
    pub is_admin: bool,
    /// A bot account.
    pub is_bot: bool,
}

pub(super) const COLUMNS: &str = "id, username, global_name, is_admin, is_bot, disabled, created_at, avatar, imported";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<User> {
    from_row_at(row, 0)
}

/// A user from [`COLUMNS`] starting at column `at`.
pub(super) fn from_row_at(row: &Row<'_>, at: usize) -> rusqlite::Result<User> {
    Ok(User {
        id: row.get(at)?,
        username: row.get(at + 1)?,
        global_name: row.get(at + 2)?,
        is_admin: row.get(at + 3)?,
        is_bot: row.get(at + 4)?,
        disabled: row.get(at + 5)?,
        created_at: row.get(at + 6)?,
        avatar: row.get(at + 7)?,
        imported: row.get(at + 8)?,
    })
}

/// Inserts a user and its home-space membership inside the caller's transaction.
pub(super) fn insert(conn: &Connection, id: Snowflake, new: &NewUser, now: Millis) -> Result<User, StoreError> {
    conn.execute(
        "INSERT INTO users (id, username, password_hash, is_admin, is_bot, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, new.username, new.password_hash, new.is_admin, new.is_bot, now],
    )
    .map_err(StoreError::on_unique("username"))?;
    conn.execute(
        "INSERT INTO members (guild_id, user_id, joined_at) SELECT id, ?1, ?2 FROM guilds ORDER BY id LIMIT 1",
        params![id, now],
    )?;
    by_id(conn, id)?.ok_or(StoreError::NotFound)
}

pub(super) fn by_id(conn: &Connection, id: Snowflake) -> Result<Option<User>, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM users WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional_row()
}

impl Store {
    /// Creates a user (and their home-space membership). [`StoreError::Conflict`] if the name is taken.
    pub async fn user_create(&self, new: NewUser, now: Millis) -> Result<User, StoreError> {
        let id = self.next_id();
        self.write(move |tx| insert(tx, id, &new, now)).await
    }

    /// The user with this id.
    pub async fn user_by_id(&self, id: Snowflake) -> Result<Option<User>, StoreError> {
        self.read(move |conn| by_id(conn, id)).await
    }

    /// The user with this username (case-insensitive), with their password hash.
    pub async fn user_by_name(&self, username: &str) -> Result<Option<UserWithHash>, StoreError> {
        let username = username.to_owned();
        self.read(move |conn| {
            conn.query_row(
                &format!("SELECT {COLUMNS}, password_hash FROM users WHERE username = ?1"),
                [username],
                |row| {
                    Ok(UserWithHash {
                        user: from_row(row)?,
                        password_hash: row.get(9)?,
                    })
                },
            )
            .optional_row()
        })
        .await
    }

    /// Every user (people and bots; not webhooks), oldest first.
    pub async fn users_list(&self) -> Result<Vec<User>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM users WHERE is_webhook = 0 ORDER BY id"))?;
            let users = stmt.query_map([], from_row)?.collect::<Result<_, _>>()?;
            Ok(users)
        })
        .await
    }

    /// Sets a new password hash and ends every session of the user. [`StoreError::NotFound`] if no such user.
    pub async fn user_set_password(&self, id: Snowflake, password_hash: String) -> Result<(), StoreError> {
        self.write(move |tx| {
            let changed = tx.execute(
                "UPDATE users SET password_hash = ?2 WHERE id = ?1",
                params![id, password_hash],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
            Ok(())
        })
        .await
    }

    /// Disables or re-enables a user; disabling ends every session. [`StoreError::NotFound`] if no such user.
    pub async fn user_set_disabled(&self, id: Snowflake, disabled: bool) -> Result<(), StoreError> {
        self.write(move |tx| {
            let changed = tx.execute("UPDATE users SET disabled = ?2 WHERE id = ?1", params![id, disabled])?;
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            if disabled {
                tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
            }
            Ok(())
        })
        .await
    }

    /// Sets the display name and/or avatar hash (`Some(None)` clears); returns the user after the change.
    pub async fn user_set_profile(
        &self,
        id: Snowflake,
        global_name: Option<Option<String>>,
        avatar: Option<Option<String>>,
    ) -> Result<User, StoreError> {
        self.write(move |tx| {
            let before = by_id(tx, id)?.ok_or(StoreError::NotFound)?;
            tx.execute(
                "UPDATE users SET global_name = ?2, avatar = ?3 WHERE id = ?1",
                params![
                    id,
                    global_name.unwrap_or(before.global_name),
                    avatar.unwrap_or(before.avatar)
                ],
            )?;
            by_id(tx, id)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    /// Grants or removes admin rights. [`StoreError::NotFound`] if no such user.
    pub async fn user_set_admin(&self, id: Snowflake, is_admin: bool) -> Result<(), StoreError> {
        self.write(move |tx| {
            let changed = tx.execute("UPDATE users SET is_admin = ?2 WHERE id = ?1", params![id, is_admin])?;
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
        .await
    }
}

//! Login sessions. Only the SHA-256 of a session token is stored, so a copy of the database does not let anyone
//! log in.

use rusqlite::{Row, params};

use super::error::{CachedRow, OptionalRow};
use super::{Snowflake, Store, StoreError, User};
use crate::clock::Millis;

/// A login session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 of the token.
    pub token_hash: [u8; 32],
    /// Whose session.
    pub user_id: Snowflake,
    /// When the user logged in.
    pub created_at: Millis,
    /// Last request seen (updated at most once a minute).
    pub last_seen_at: Millis,
    /// When the session stops working.
    pub expires_at: Millis,
    /// Client address at login.
    pub ip: String,
    /// Browser at login.
    pub user_agent: String,
}

const COLUMNS: &str = "s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.ip, s.user_agent";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Session> {
    Ok(Session {
        token_hash: row.get(0)?,
        user_id: row.get(1)?,
        created_at: row.get(2)?,
        last_seen_at: row.get(3)?,
        expires_at: row.get(4)?,
        ip: row.get(5)?,
        user_agent: row.get(6)?,
    })
}

/// Inserts a session inside the caller's transaction.
pub(super) fn insert(conn: &rusqlite::Connection, session: &Session) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            session.token_hash,
            session.user_id,
            session.created_at,
            session.last_seen_at,
            session.expires_at,
            session.ip,
            session.user_agent
        ],
    )?;
    Ok(())
}

impl Store {
    /// Stores a new session.
    pub async fn session_create(&self, session: Session) -> Result<(), StoreError> {
        self.write(move |tx| insert(tx, &session)).await
    }

    /// The unexpired session with this token hash and its (enabled) user.
    pub async fn session_get(&self, token_hash: [u8; 32], now: Millis) -> Result<Option<(Session, User)>, StoreError> {
        self.read(move |conn| {
            let found = conn
                .cached_row(
                    &format!(
                        "SELECT {COLUMNS}, u.id FROM sessions s JOIN users u ON u.id = s.user_id
                         WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0"
                    ),
                    params![token_hash, now],
                    |row| Ok((from_row(row)?, row.get::<_, Snowflake>(7)?)),
                )
                .optional_row()?;
            match found {
                Some((session, user_id)) => Ok(super::users::by_id(conn, user_id)?.map(|user| (session, user))),
                None => Ok(None),
            }
        })
        .await
    }

    /// Every unexpired session of a user, newest first.
    pub async fn sessions_for_user(&self, user_id: Snowflake, now: Millis) -> Result<Vec<Session>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {COLUMNS} FROM sessions s WHERE s.user_id = ?1 AND s.expires_at > ?2 ORDER BY s.created_at DESC"
            ))?;
            let sessions = stmt
                .query_map(params![user_id, now], from_row)?
                .collect::<Result<_, _>>()?;
            Ok(sessions)
        })
        .await
    }

    /// Records activity on a session.
    pub async fn session_touch(&self, token_hash: [u8; 32], now: Millis) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.execute(
                "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1",
                params![token_hash, now],
            )?;
            Ok(())
        })
        .await
    }

    /// Ends one session.
    pub async fn session_delete(&self, token_hash: [u8; 32]) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
            Ok(())
        })
        .await
    }

    /// Ends every session of a user; returns how many ended.
    pub async fn sessions_delete_for_user(&self, user_id: Snowflake) -> Result<usize, StoreError> {
        self.write(move |tx| Ok(tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?))
            .await
    }

    /// Deletes sessions that have expired; returns how many.
    pub async fn sessions_purge_expired(&self, now: Millis) -> Result<usize, StoreError> {
        self.write(move |tx| Ok(tx.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now])?))
            .await
    }
}

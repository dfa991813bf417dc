//! Ended credentials, as the triggers of migration 0008 record them (every way a session or token ends, from
//! any process writing the database). The server reads them to close the connections that used them.

use rusqlite::params;

use super::{Snowflake, Store, StoreError};

/// One ended credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    /// Increasing; read "after" the last one seen.
    pub id: i64,
    /// Whose credential.
    pub user_id: Snowflake,
    /// The browser session that ended (its token's hash), or `None` for every credential of the user.
    pub session_hash: Option<[u8; 32]>,
}

/// Revocations older than this are pruned: the server reads them within a second of their writing.
const KEEP_SECONDS: i64 = 24 * 60 * 60;

impl Store {
    /// The newest revocation's id (0 when there is none): where a reader that just started begins.
    pub async fn revocations_latest(&self) -> Result<i64, StoreError> {
        self.read(|conn| Ok(conn.query_row("SELECT coalesce(max(id), 0) FROM revocations", [], |row| row.get(0))?))
            .await
    }

    /// Revocations recorded after `after`, oldest first (at most 1,000 at a time).
    pub async fn revocations_after(&self, after: i64) -> Result<Vec<Revocation>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, user_id, session_hash FROM revocations WHERE id > ?1 ORDER BY id LIMIT 1000",
            )?;
            let rows = stmt.query_map([after], |row| {
                Ok(Revocation {
                    id: row.get(0)?,
                    user_id: row.get(1)?,
                    session_hash: row.get(2)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Forgets revocations older than a day (`now_seconds` is the Unix time).
    pub async fn revocations_prune(&self, now_seconds: i64) -> Result<usize, StoreError> {
        self.write(move |tx| {
            Ok(tx.execute(
                "DELETE FROM revocations WHERE created_at < ?1",
                params![now_seconds - KEEP_SECONDS],
            )?)
        })
        .await
    }
}

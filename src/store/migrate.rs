//! Schema migrations: the SQL files in `migrations/`, embedded in the binary and applied in order at open.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use super::StoreError;

/// Every migration, oldest first. Never edit one that has shipped; add a new file.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_foundation.sql"),
    include_str!("../../migrations/0002_chat.sql"),
    include_str!("../../migrations/0003_avatars.sql"),
    include_str!("../../migrations/0004_link_previews.sql"),
    include_str!("../../migrations/0005_admin.sql"),
    include_str!("../../migrations/0006_oidc.sql"),
    include_str!("../../migrations/0007_music.sql"),
    include_str!("../../migrations/0008_revocations.sql"),
    include_str!("../../migrations/0009_direct_messages.sql"),
];

fn migrations() -> Migrations<'static> {
    // Every migration's foreign keys are checked before the transaction commits (they are off while it runs).
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql).foreign_key_check()).collect())
}

/// Brings the database up to the newest schema. Pending migrations run in one transaction, so a failure leaves
/// the database as it was. Foreign keys are off while they run: a migration that rebuilds a table (SQLite's
/// only way to change a column's constraints) must not cascade the drop of the old table into the rows that
/// reference it. `foreign_key_check` proves every reference still holds before the commit.
pub(super) fn apply(conn: &mut Connection) -> Result<(), StoreError> {
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let applied = migrations().to_latest(conn);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    applied?;
    Ok(())
}

/// The schema version this binary expects (SQLite's `user_version` after all migrations).
pub(super) fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}

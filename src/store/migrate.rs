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
    include_str!("../../migrations/0010_notifications.sql"),
    include_str!("../../migrations/0011_webhooks.sql"),
    include_str!("../../migrations/0012_application_commands.sql"),
    include_str!("../../migrations/0013_applications.sql"),
    include_str!("../../migrations/0014_expressions.sql"),
    include_str!("../../migrations/0015_import.sql"),
    include_str!("../../migrations/0016_search_index_in_bulk.sql"),
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
    use rusqlite::Connection;
    use rusqlite_migration::{M, Migrations};

    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }

    /// The DM migration rebuilds `channels`: every row that refers to a channel survives it, and the foreign
    /// keys still bind afterwards (deleting a channel still takes its messages).
    #[test]
    fn rebuilding_channels_loses_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        let before_dms = Migrations::new(super::MIGRATIONS[..8].iter().map(|sql| M::up(sql)).collect());
        before_dms.to_latest(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO users (id, username, created_at) VALUES (1, 'ann', 0), (2, 'ben', 0);
             INSERT INTO guilds (id, name, owner_id, created_at) VALUES (10, 'home', 1, 0);
             INSERT INTO members (guild_id, user_id, joined_at) VALUES (10, 1, 0), (10, 2, 0);
             INSERT INTO channels (id, guild_id, type, name) VALUES (20, 10, 4, 'cat'), (21, 10, 0, 'general');
             UPDATE channels SET parent_id = 20, topic = 'hi', last_message_id = 31 WHERE id = 21;
             INSERT INTO channels (id, guild_id, type, name, parent_id, owner_id) VALUES (22, 10, 11, 'thread', 21, 1);
             INSERT INTO channel_overwrites (channel_id, target_id, kind, allow, deny) VALUES (21, 2, 1, 1024, 2048);
             INSERT INTO thread_members (thread_id, user_id, joined_at) VALUES (22, 2, 0);
             INSERT INTO messages (id, channel_id, author_id, content, pinned) VALUES (30, 21, 1, 'one', 1), (31, 21, 2, 'two', 0),
                                                                                   (32, 22, 2, 'in thread', 0);
             INSERT INTO reactions (message_id, emoji, user_id, created_at) VALUES (30, '👍', 2, 0);
             INSERT INTO read_states (user_id, channel_id, last_message_id) VALUES (2, 21, 30);",
        )
        .unwrap();
        super::apply(&mut conn).unwrap();
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(count("SELECT count(*) FROM channels"), 3);
        assert_eq!(count("SELECT count(*) FROM messages"), 3);
        assert_eq!(count("SELECT count(*) FROM channel_overwrites"), 1);
        assert_eq!(count("SELECT count(*) FROM thread_members"), 1);
        assert_eq!(count("SELECT count(*) FROM reactions"), 1);
        assert_eq!(count("SELECT count(*) FROM read_states"), 1);
        assert_eq!(count("SELECT parent_id FROM channels WHERE id = 21"), 20);
        assert_eq!(count("SELECT last_message_id FROM channels WHERE id = 21"), 31);
        assert_eq!(
            count("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'thread'"),
            1
        );
        let broken: Vec<String> = conn
            .prepare("PRAGMA foreign_key_check")
            .unwrap()
            .query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(broken.is_empty(), "dangling references: {broken:?}");
        // The references still bind: a channel's deletion cascades to its messages and overwrites.
        conn.execute("DELETE FROM channels WHERE id = 22", []).unwrap();
        assert_eq!(count("SELECT count(*) FROM messages"), 2);
        conn.execute("DELETE FROM channels WHERE id = 21", []).unwrap();
        assert_eq!(count("SELECT count(*) FROM messages"), 0);
        assert_eq!(count("SELECT count(*) FROM channel_overwrites"), 0);
        // A DM has no guild; a guild channel must have one.
        assert!(
            conn.execute("INSERT INTO channels (id, type, name) VALUES (40, 0, 'x')", [])
                .is_err()
        );
        conn.execute("INSERT INTO channels (id, type, name) VALUES (41, 1, '')", [])
            .unwrap();
    }
}

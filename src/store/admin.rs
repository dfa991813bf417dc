//! The admin panel's tables: instance settings changed at run time, and the audit log of admin actions.

use std::collections::HashMap;

use rusqlite::params;

use super::{Snowflake, Store, StoreError, timestamp_ms};
use crate::clock::Millis;

/// One audit log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Snowflake id (its time is the action's).
    pub id: Snowflake,
    /// When.
    pub at: Millis,
    /// Who: a user, or `None` for the command line on the server.
    pub actor: Option<(Snowflake, String)>,
    /// What, e.g. `user.create`.
    pub action: String,
    /// To what.
    pub target: String,
    /// A short summary.
    pub detail: String,
}

impl Store {
    /// Every stored setting, as JSON text by key.
    pub async fn settings_all(&self) -> Result<HashMap<String, String>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached("SELECT key, value FROM settings")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Stores settings (JSON text by key) and removes those given as `None`, all at once, with an audit entry.
    pub async fn settings_save(
        &self,
        changes: Vec<(String, Option<String>)>,
        audit: (Option<Snowflake>, String, String, String),
    ) -> Result<(), StoreError> {
        let id = self.next_id();
        self.write(move |tx| {
            for (key, value) in &changes {
                match value {
                    Some(value) => tx.execute(
                        "INSERT INTO settings (key, value) VALUES (?1, ?2)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        params![key, value],
                    )?,
                    None => tx.execute("DELETE FROM settings WHERE key = ?1", [key])?,
                };
            }
            insert_audit(tx, id, &audit)
        })
        .await
    }

    /// Records an admin action: `(actor, action, target, detail)`.
    pub async fn audit_record(&self, entry: (Option<Snowflake>, String, String, String)) -> Result<(), StoreError> {
        let id = self.next_id();
        self.write(move |tx| insert_audit(tx, id, &entry)).await
    }

    /// Audit entries older than `before` (newest first), at most `limit`.
    pub async fn audit_page(&self, before: Option<Snowflake>, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT a.id, a.actor_id, u.username, a.action, a.target, a.detail
                 FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
                 WHERE a.id < ?1 ORDER BY a.id DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![before.unwrap_or(Snowflake::MAX), limit], |r| {
                let id: Snowflake = r.get(0)?;
                let actor_id: Option<Snowflake> = r.get(1)?;
                let name: Option<String> = r.get(2)?;
                Ok(AuditEntry {
                    id,
                    at: timestamp_ms(id),
                    actor: actor_id.map(|a| (a, name.unwrap_or_default())),
                    action: r.get(3)?,
                    target: r.get(4)?,
                    detail: r.get(5)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }
}

fn insert_audit(
    tx: &rusqlite::Connection,
    id: Snowflake,
    (actor, action, target, detail): &(Option<Snowflake>, String, String, String),
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO audit_log (id, actor_id, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, actor, action, target, detail],
    )?;
    Ok(())
}

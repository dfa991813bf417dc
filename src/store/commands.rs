//! Application commands: per application, global (`guild_id` None) or for one guild; unique by type and name
//! in their scope. The definition is JSON the rules validated.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Snowflake, Store, StoreError};

/// A stored command.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// Snowflake.
    pub id: Snowflake,
    /// The bot's user id.
    pub application_id: Snowflake,
    /// The guild, or None for a global command.
    pub guild_id: Option<Snowflake>,
    /// 1 chat input, 2 user, 3 message.
    pub kind: i64,
    /// Its name.
    pub name: String,
    /// The rest, as JSON (description, options, permissions, localizations…).
    pub definition: serde_json::Value,
    /// Changes with every update.
    pub version: Snowflake,
}

const COLUMNS: &str = "id, application_id, guild_id, type, name, definition, version";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Command> {
    let definition: String = row.get(5)?;
    Ok(Command {
        id: row.get(0)?,
        application_id: row.get(1)?,
        guild_id: row.get(2)?,
        kind: row.get(3)?,
        name: row.get(4)?,
        definition: serde_json::from_str(&definition).unwrap_or_default(),
        version: row.get(6)?,
    })
}

fn list(conn: &Connection, application_id: Snowflake, guild_id: Option<Snowflake>) -> Result<Vec<Command>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM application_commands WHERE application_id = ?1 AND coalesce(guild_id, 0) = ?2 ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![application_id, guild_id.unwrap_or(0)], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn upsert(conn: &Connection, command: &Command) -> Result<Command, StoreError> {
    conn.execute(
        "INSERT INTO application_commands (id, application_id, guild_id, type, name, definition, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(id) DO UPDATE SET name = ?5, definition = ?6, version = ?7",
        params![
            command.id,
            command.application_id,
            command.guild_id,
            command.kind,
            command.name,
            command.definition.to_string(),
            command.version
        ],
    )
    .map_err(StoreError::on_unique("name"))?;
    Ok(command.clone())
}

impl Store {
    /// An application's commands in one scope.
    pub async fn commands_list(
        &self,
        application_id: Snowflake,
        guild_id: Option<Snowflake>,
    ) -> Result<Vec<Command>, StoreError> {
        self.read(move |conn| list(conn, application_id, guild_id)).await
    }

    /// Every command usable in a guild (its own and every application's global ones), or only global ones.
    pub async fn commands_usable(&self, guild_id: Option<Snowflake>) -> Result<Vec<Command>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM application_commands WHERE guild_id IS NULL OR guild_id = ?1 ORDER BY name"
            ))?;
            let rows = stmt.query_map([guild_id.unwrap_or(-1)], from_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// One command.
    pub async fn command_get(&self, id: Snowflake) -> Result<Option<Command>, StoreError> {
        self.read(move |conn| {
            Ok(conn
                .prepare_cached(&format!("SELECT {COLUMNS} FROM application_commands WHERE id = ?1"))?
                .query_row([id], from_row)
                .optional()?)
        })
        .await
    }

    /// Creates or replaces one command (by its id). [`StoreError::Conflict`] if the name is taken in its scope.
    pub async fn command_put(&self, command: Command) -> Result<Command, StoreError> {
        self.write(move |tx| upsert(tx, &command)).await
    }

    /// Replaces every command of one scope with `commands` (their ids chosen by the caller), in one step.
    pub async fn commands_replace(
        &self,
        application_id: Snowflake,
        guild_id: Option<Snowflake>,
        commands: Vec<Command>,
    ) -> Result<Vec<Command>, StoreError> {
        self.write(move |tx| {
            let keep: Vec<Snowflake> = commands.iter().map(|c| c.id).collect();
            for old in list(tx, application_id, guild_id)? {
                if !keep.contains(&old.id) {
                    tx.execute("DELETE FROM application_commands WHERE id = ?1", [old.id])?;
                }
            }
            commands.iter().map(|c| upsert(tx, c)).collect()
        })
        .await
    }

    /// An application's description ("" until set).
    pub async fn application_description(&self, id: Snowflake) -> Result<String, StoreError> {
        self.read(move |conn| {
            Ok(conn
                .query_row("SELECT description FROM applications WHERE id = ?1", [id], |row| {
                    row.get(0)
                })
                .optional()?
                .unwrap_or_default())
        })
        .await
    }

    /// Sets an application's description.
    pub async fn application_set_description(&self, id: Snowflake, description: String) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO applications (id, description) VALUES (?1, ?2)
                 ON CONFLICT(id) DO UPDATE SET description = ?2",
                params![id, description],
            )?;
            Ok(())
        })
        .await
    }

    /// Deletes a command.
    pub async fn command_delete(&self, id: Snowflake) -> Result<bool, StoreError> {
        self.write(move |tx| Ok(tx.execute("DELETE FROM application_commands WHERE id = ?1", [id])? > 0))
            .await
    }
}

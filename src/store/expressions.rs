//! The space's own expressions: custom emoji, stickers and soundboard sounds. Emoji and stickers are deleted
//! softly (the row stays, marked) so reactions and messages that used them keep a name; sounds go for good.
//! Their files are not here: they are under `<data_dir>/expressions/<id>`.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Snowflake, Store, StoreError};
use crate::clock::Millis;

/// A custom emoji.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emoji {
    /// Snowflake.
    pub id: Snowflake,
    /// The space.
    pub guild_id: Snowflake,
    /// `[a-z0-9_]{2,32}`.
    pub name: String,
    /// A GIF that moves.
    pub animated: bool,
    /// Who added it.
    pub user_id: Option<Snowflake>,
    /// Roles it is limited to, as given (spot does not limit).
    pub roles: Vec<Snowflake>,
    /// Deleted (kept for old reactions' names).
    pub deleted: bool,
}

/// A sticker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sticker {
    /// Snowflake.
    pub id: Snowflake,
    /// The space.
    pub guild_id: Snowflake,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// The related emoji.
    pub tags: String,
    /// Discord's format type: 1 PNG, 2 APNG, 4 GIF.
    pub format_type: i64,
    /// Who added it.
    pub user_id: Option<Snowflake>,
    /// Deleted (kept so messages that sent it keep its name).
    pub deleted: bool,
}

/// A soundboard sound.
#[derive(Debug, Clone, PartialEq)]
pub struct Sound {
    /// Snowflake.
    pub id: Snowflake,
    /// The space.
    pub guild_id: Snowflake,
    /// Name.
    pub name: String,
    /// 0.0–1.0.
    pub volume: f64,
    /// A custom emoji shown with it.
    pub emoji_id: Option<Snowflake>,
    /// A unicode emoji shown with it.
    pub emoji_name: Option<String>,
    /// `audio/mpeg`, `audio/ogg` or `audio/wav`.
    pub content_type: String,
    /// Its length.
    pub duration_ms: i64,
    /// Who added it.
    pub user_id: Option<Snowflake>,
}

/// Why a new or renamed expression was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The space has as many as it may.
    Full,
    /// Another one has that name.
    NameTaken,
}

/// What an emoji edit changes.
#[derive(Debug, Clone, Default)]
pub struct EmojiPatch {
    /// New name.
    pub name: Option<String>,
    /// New roles.
    pub roles: Option<Vec<Snowflake>>,
}

/// What a sticker edit changes.
#[derive(Debug, Clone, Default)]
pub struct StickerPatch {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New related emoji.
    pub tags: Option<String>,
}

/// What a sound edit changes.
#[derive(Debug, Clone, Default)]
pub struct SoundPatch {
    /// New name.
    pub name: Option<String>,
    /// New volume.
    pub volume: Option<f64>,
    /// New emoji: (custom id, unicode name); `Some((None, None))` removes it.
    pub emoji: Option<(Option<Snowflake>, Option<String>)>,
}

const EMOJI: &str = "id, guild_id, name, animated, user_id, roles, deleted";
const STICKER: &str = "id, guild_id, name, description, tags, format_type, user_id, deleted";
const SOUND: &str = "id, guild_id, name, volume, emoji_id, emoji_name, content_type, duration_ms, user_id";

fn emoji_row(row: &Row<'_>) -> rusqlite::Result<Emoji> {
    let roles: String = row.get(5)?;
    Ok(Emoji {
        id: row.get(0)?,
        guild_id: row.get(1)?,
        name: row.get(2)?,
        animated: row.get(3)?,
        user_id: row.get(4)?,
        roles: super::message_rows::ids_from_json(&roles),
        deleted: row.get(6)?,
    })
}

fn sticker_row(row: &Row<'_>) -> rusqlite::Result<Sticker> {
    Ok(Sticker {
        id: row.get(0)?,
        guild_id: row.get(1)?,
        name: row.get(2)?,
        description: row.get(3)?,
        tags: row.get(4)?,
        format_type: row.get(5)?,
        user_id: row.get(6)?,
        deleted: row.get(7)?,
    })
}

fn sound_row(row: &Row<'_>) -> rusqlite::Result<Sound> {
    Ok(Sound {
        id: row.get(0)?,
        guild_id: row.get(1)?,
        name: row.get(2)?,
        volume: row.get(3)?,
        emoji_id: row.get(4)?,
        emoji_name: row.get(5)?,
        content_type: row.get(6)?,
        duration_ms: row.get(7)?,
        user_id: row.get(8)?,
    })
}

/// One row of `table` by id (deleted ones too).
fn one<T>(
    conn: &Connection,
    columns: &str,
    table: &str,
    id: Snowflake,
    map: fn(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Option<T>, StoreError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {columns} FROM {table} WHERE id = ?1"))?
        .query_row([id], map)
        .optional()?)
}

/// The live rows of `table` in a space, oldest first.
fn all<T>(
    conn: &Connection,
    columns: &str,
    table: &str,
    guild_id: Snowflake,
    map: fn(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, StoreError> {
    let live = if table == "soundboard_sounds" {
        "1"
    } else {
        "deleted = 0"
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {columns} FROM {table} WHERE guild_id = ?1 AND {live} ORDER BY id"
    ))?;
    Ok(stmt.query_map([guild_id], map)?.collect::<Result<_, _>>()?)
}

/// Whether a space may take one more in `table` (at most `limit` live) and `name` is free there (other than
/// `except`).
fn check(
    conn: &Connection,
    table: &str,
    guild_id: Snowflake,
    name: &str,
    limit: Option<usize>,
    except: Snowflake,
) -> Result<Option<Refusal>, StoreError> {
    let live = if table == "soundboard_sounds" {
        "1"
    } else {
        "deleted = 0"
    };
    if let Some(limit) = limit {
        let count: i64 = conn.query_row(
            &format!("SELECT count(*) FROM {table} WHERE guild_id = ?1 AND {live}"),
            [guild_id],
            |row| row.get(0),
        )?;
        if count as usize >= limit {
            return Ok(Some(Refusal::Full));
        }
    }
    let taken: bool = conn.query_row(
        &format!("SELECT EXISTS(SELECT 1 FROM {table} WHERE guild_id = ?1 AND name = ?2 AND id != ?3 AND {live})"),
        params![guild_id, name, except],
        |row| row.get(0),
    )?;
    Ok(taken.then_some(Refusal::NameTaken))
}

impl Store {
    /// The space's emoji.
    pub async fn emojis(&self, guild_id: Snowflake) -> Result<Vec<Emoji>, StoreError> {
        self.read(move |conn| all(conn, EMOJI, "emojis", guild_id, emoji_row))
            .await
    }

    /// One emoji, deleted ones too.
    pub async fn emoji(&self, id: Snowflake) -> Result<Option<Emoji>, StoreError> {
        self.read(move |conn| one(conn, EMOJI, "emojis", id, emoji_row)).await
    }

    /// Adds an emoji unless the space has `limit` or the name is taken.
    pub async fn emoji_create(
        &self,
        emoji: Emoji,
        limit: usize,
        now: Millis,
    ) -> Result<Result<Emoji, Refusal>, StoreError> {
        self.write(move |tx| {
            if let Some(refusal) = check(tx, "emojis", emoji.guild_id, &emoji.name, Some(limit), 0)? {
                return Ok(Err(refusal));
            }
            tx.execute(
                "INSERT INTO emojis (id, guild_id, name, animated, user_id, roles, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    emoji.id,
                    emoji.guild_id,
                    emoji.name,
                    emoji.animated,
                    emoji.user_id,
                    super::message_rows::ids_to_json(&emoji.roles),
                    now
                ],
            )?;
            Ok(Ok(emoji))
        })
        .await
    }

    /// Renames an emoji or changes its roles. [`StoreError::NotFound`] for an unknown or deleted one.
    pub async fn emoji_update(&self, id: Snowflake, patch: EmojiPatch) -> Result<Result<Emoji, Refusal>, StoreError> {
        self.write(move |tx| {
            let emoji = one(tx, EMOJI, "emojis", id, emoji_row)?
                .filter(|e| !e.deleted)
                .ok_or(StoreError::NotFound)?;
            if let Some(name) = &patch.name
                && let Some(refusal) = check(tx, "emojis", emoji.guild_id, name, None, id)?
            {
                return Ok(Err(refusal));
            }
            tx.execute(
                "UPDATE emojis SET name = coalesce(?2, name), roles = coalesce(?3, roles) WHERE id = ?1",
                params![
                    id,
                    patch.name,
                    patch.roles.map(|r| super::message_rows::ids_to_json(&r))
                ],
            )?;
            Ok(Ok(one(tx, EMOJI, "emojis", id, emoji_row)?.ok_or(StoreError::NotFound)?))
        })
        .await
    }

    /// Deletes an emoji (softly); `false` if it was unknown or gone already.
    pub async fn emoji_delete(&self, id: Snowflake) -> Result<bool, StoreError> {
        self.write(move |tx| Ok(tx.execute("UPDATE emojis SET deleted = 1 WHERE id = ?1 AND deleted = 0", [id])? == 1))
            .await
    }

    /// The space's stickers.
    pub async fn stickers(&self, guild_id: Snowflake) -> Result<Vec<Sticker>, StoreError> {
        self.read(move |conn| all(conn, STICKER, "stickers", guild_id, sticker_row))
            .await
    }

    /// One sticker, deleted ones too.
    pub async fn sticker(&self, id: Snowflake) -> Result<Option<Sticker>, StoreError> {
        self.read(move |conn| one(conn, STICKER, "stickers", id, sticker_row))
            .await
    }

    /// Adds a sticker unless the space has `limit` or the name is taken.
    pub async fn sticker_create(
        &self,
        sticker: Sticker,
        limit: usize,
        now: Millis,
    ) -> Result<Result<Sticker, Refusal>, StoreError> {
        self.write(move |tx| {
            if let Some(refusal) = check(tx, "stickers", sticker.guild_id, &sticker.name, Some(limit), 0)? {
                return Ok(Err(refusal));
            }
            tx.execute(
                "INSERT INTO stickers (id, guild_id, name, description, tags, format_type, user_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    sticker.id,
                    sticker.guild_id,
                    sticker.name,
                    sticker.description,
                    sticker.tags,
                    sticker.format_type,
                    sticker.user_id,
                    now
                ],
            )?;
            Ok(Ok(sticker))
        })
        .await
    }

    /// Changes a sticker's name, description or related emoji.
    pub async fn sticker_update(
        &self,
        id: Snowflake,
        patch: StickerPatch,
    ) -> Result<Result<Sticker, Refusal>, StoreError> {
        self.write(move |tx| {
            let sticker = one(tx, STICKER, "stickers", id, sticker_row)?
                .filter(|s| !s.deleted)
                .ok_or(StoreError::NotFound)?;
            if let Some(name) = &patch.name
                && let Some(refusal) = check(tx, "stickers", sticker.guild_id, name, None, id)?
            {
                return Ok(Err(refusal));
            }
            tx.execute(
                "UPDATE stickers SET name = coalesce(?2, name), description = coalesce(?3, description),
                 tags = coalesce(?4, tags) WHERE id = ?1",
                params![id, patch.name, patch.description, patch.tags],
            )?;
            Ok(Ok(
                one(tx, STICKER, "stickers", id, sticker_row)?.ok_or(StoreError::NotFound)?
            ))
        })
        .await
    }

    /// Deletes a sticker (softly); `false` if it was unknown or gone already.
    pub async fn sticker_delete(&self, id: Snowflake) -> Result<bool, StoreError> {
        self.write(move |tx| {
            Ok(tx.execute("UPDATE stickers SET deleted = 1 WHERE id = ?1 AND deleted = 0", [id])? == 1)
        })
        .await
    }

    /// The space's soundboard.
    pub async fn sounds(&self, guild_id: Snowflake) -> Result<Vec<Sound>, StoreError> {
        self.read(move |conn| all(conn, SOUND, "soundboard_sounds", guild_id, sound_row))
            .await
    }

    /// One sound.
    pub async fn sound(&self, id: Snowflake) -> Result<Option<Sound>, StoreError> {
        self.read(move |conn| one(conn, SOUND, "soundboard_sounds", id, sound_row))
            .await
    }

    /// Adds a sound unless the space has `limit` or the name is taken.
    pub async fn sound_create(
        &self,
        sound: Sound,
        limit: usize,
        now: Millis,
    ) -> Result<Result<Sound, Refusal>, StoreError> {
        self.write(move |tx| {
            if let Some(refusal) = check(tx, "soundboard_sounds", sound.guild_id, &sound.name, Some(limit), 0)? {
                return Ok(Err(refusal));
            }
            tx.execute(
                "INSERT INTO soundboard_sounds
                 (id, guild_id, name, volume, emoji_id, emoji_name, content_type, duration_ms, user_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    sound.id,
                    sound.guild_id,
                    sound.name,
                    sound.volume,
                    sound.emoji_id,
                    sound.emoji_name,
                    sound.content_type,
                    sound.duration_ms,
                    sound.user_id,
                    now
                ],
            )?;
            Ok(Ok(sound))
        })
        .await
    }

    /// Changes a sound's name, volume or emoji.
    pub async fn sound_update(&self, id: Snowflake, patch: SoundPatch) -> Result<Result<Sound, Refusal>, StoreError> {
        self.write(move |tx| {
            let sound = one(tx, SOUND, "soundboard_sounds", id, sound_row)?.ok_or(StoreError::NotFound)?;
            if let Some(name) = &patch.name
                && let Some(refusal) = check(tx, "soundboard_sounds", sound.guild_id, name, None, id)?
            {
                return Ok(Err(refusal));
            }
            tx.execute(
                "UPDATE soundboard_sounds SET name = coalesce(?2, name), volume = coalesce(?3, volume) WHERE id = ?1",
                params![id, patch.name, patch.volume],
            )?;
            if let Some((emoji_id, emoji_name)) = patch.emoji {
                tx.execute(
                    "UPDATE soundboard_sounds SET emoji_id = ?2, emoji_name = ?3 WHERE id = ?1",
                    params![id, emoji_id, emoji_name],
                )?;
            }
            Ok(Ok(
                one(tx, SOUND, "soundboard_sounds", id, sound_row)?.ok_or(StoreError::NotFound)?
            ))
        })
        .await
    }

    /// Deletes a sound; `false` if it was unknown.
    pub async fn sound_delete(&self, id: Snowflake) -> Result<bool, StoreError> {
        self.write(move |tx| Ok(tx.execute("DELETE FROM soundboard_sounds WHERE id = ?1", [id])? == 1))
            .await
    }
}

//! Messages: create, read (single, pages, pins), edit, delete. A loaded [`Message`] carries what Discord's
//! message object shows: author, mentioned users, attachments, reaction counts (with `me` for the viewer) and
//! the message it replies to.

use rusqlite::{Connection, Row, params};

use super::error::{CachedRow, OptionalRow};
use super::users::{self, User};
use super::{Snowflake, Store, StoreError};
use crate::clock::Millis;

/// A stored attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Snowflake id (also its file name under the data directory).
    pub id: Snowflake,
    /// Original file name.
    pub filename: String,
    /// MIME type as stored (already made safe).
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Image width, if known.
    pub width: Option<i64>,
    /// Image height, if known.
    pub height: Option<i64>,
    /// Alt text.
    pub description: Option<String>,
}

/// Reaction count for one emoji.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReactionCount {
    /// The emoji.
    pub emoji: String,
    /// How many users reacted with it.
    pub count: i64,
    /// Whether the viewer did.
    pub me: bool,
}

/// A message as Discord's API shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Snowflake id.
    pub id: Snowflake,
    /// Channel (or thread).
    pub channel_id: Snowflake,
    /// Who wrote it.
    pub author: User,
    /// Text.
    pub content: String,
    /// Discord message type (0 default, 19 reply, 18 thread created, …).
    pub kind: i64,
    /// Discord message flags.
    pub flags: i64,
    /// Text-to-speech.
    pub tts: bool,
    /// Client nonce, echoed once.
    pub nonce: Option<String>,
    /// Last edit.
    pub edited_at: Option<Millis>,
    /// Pinned in its channel.
    pub pinned: bool,
    /// Mentions @everyone.
    pub mention_everyone: bool,
    /// Mentioned users.
    pub mentions: Vec<User>,
    /// Mentioned roles.
    pub mention_roles: Vec<Snowflake>,
    /// Embeds, as a JSON array.
    pub embeds: serde_json::Value,
    /// The message this one replies to or refers to: (channel, message).
    pub reference: Option<(Snowflake, Snowflake)>,
    /// A thread started from this message.
    pub thread_id: Option<Snowflake>,
    /// Files.
    pub attachments: Vec<Attachment>,
    /// Reaction counts.
    pub reactions: Vec<ReactionCount>,
    /// The replied-to message, loaded one level deep (`None` if deleted or not a reply).
    pub referenced: Option<Box<Message>>,
}

/// What is needed to create a message.
#[derive(Debug, Clone, Default)]
pub struct NewMessage {
    /// Channel or thread.
    pub channel_id: Snowflake,
    /// Author.
    pub author_id: Snowflake,
    /// Text (validated by the caller).
    pub content: String,
    /// Discord message type.
    pub kind: i64,
    /// Discord message flags.
    pub flags: i64,
    /// Text-to-speech.
    pub tts: bool,
    /// Client nonce.
    pub nonce: Option<String>,
    /// Mentions @everyone.
    pub mention_everyone: bool,
    /// Mentioned user ids.
    pub mentions: Vec<Snowflake>,
    /// Mentioned role ids.
    pub mention_roles: Vec<Snowflake>,
    /// Embeds as a JSON array.
    pub embeds: serde_json::Value,
    /// Reply target: (channel, message).
    pub reference: Option<(Snowflake, Snowflake)>,
    /// Attachments (files already written by the caller).
    pub attachments: Vec<Attachment>,
}

/// Where a page of messages starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The newest messages.
    Latest,
    /// Older than this id.
    Before(Snowflake),
    /// Newer than this id.
    After(Snowflake),
    /// Around this id (half before, half after, the id itself included).
    Around(Snowflake),
}

/// Changes to a message.
#[derive(Debug, Clone, Default)]
pub struct MessagePatch {
    /// New text, with its mentions.
    pub content: Option<(String, Vec<Snowflake>, Vec<Snowflake>, bool)>,
    /// New embeds.
    pub embeds: Option<serde_json::Value>,
    /// New flags.
    pub flags: Option<i64>,
}

const COLUMNS: &str = "id, channel_id, author_id, content, type, flags, tts, nonce, edited_at, pinned, mention_everyone, \
mentions, mention_roles, embeds, reference_channel_id, reference_message_id, thread_id";

struct Raw {
    id: Snowflake,
    channel_id: Snowflake,
    author_id: Snowflake,
    content: String,
    kind: i64,
    flags: i64,
    tts: bool,
    nonce: Option<String>,
    edited_at: Option<Millis>,
    pinned: bool,
    mention_everyone: bool,
    mentions: String,
    mention_roles: String,
    embeds: String,
    reference: Option<(Snowflake, Snowflake)>,
    thread_id: Option<Snowflake>,
}

fn raw(row: &Row<'_>) -> rusqlite::Result<Raw> {
    let ref_channel: Option<Snowflake> = row.get(14)?;
    let ref_message: Option<Snowflake> = row.get(15)?;
    Ok(Raw {
        id: row.get(0)?,
        channel_id: row.get(1)?,
        author_id: row.get(2)?,
        content: row.get(3)?,
        kind: row.get(4)?,
        flags: row.get(5)?,
        tts: row.get(6)?,
        nonce: row.get(7)?,
        edited_at: row.get(8)?,
        pinned: row.get(9)?,
        mention_everyone: row.get(10)?,
        mentions: row.get(11)?,
        mention_roles: row.get(12)?,
        embeds: row.get(13)?,
        reference: ref_channel.zip(ref_message),
        thread_id: row.get(16)?,
    })
}

fn ids_from_json(text: &str) -> Vec<Snowflake> {
    serde_json::from_str::<Vec<String>>(text)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect()
}

fn ids_to_json(ids: &[Snowflake]) -> String {
    serde_json::to_string(&ids.iter().map(ToString::to_string).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

fn attachments_of(conn: &Connection, message_id: Snowflake) -> Result<Vec<Attachment>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, filename, content_type, size, width, height, description FROM attachments WHERE message_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([message_id], |row| {
        Ok(Attachment {
            id: row.get(0)?,
            filename: row.get(1)?,
            content_type: row.get(2)?,
            size: row.get(3)?,
            width: row.get(4)?,
            height: row.get(5)?,
            description: row.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn reactions_of(conn: &Connection, message_id: Snowflake, viewer: Snowflake) -> Result<Vec<ReactionCount>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT emoji, count(*), max(user_id = ?2) FROM reactions WHERE message_id = ?1 GROUP BY emoji ORDER BY min(created_at)",
    )?;
    let rows = stmt.query_map(params![message_id, viewer], |row| {
        Ok(ReactionCount {
            emoji: row.get(0)?,
            count: row.get(1)?,
            me: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn load(conn: &Connection, raw: Raw, viewer: Snowflake, depth: u8) -> Result<Message, StoreError> {
    let author = users::by_id(conn, raw.author_id)?.ok_or(StoreError::NotFound)?;
    let mut mentions = Vec::new();
    for id in ids_from_json(&raw.mentions) {
        if let Some(user) = users::by_id(conn, id)? {
            mentions.push(user);
        }
    }
    let referenced = match (raw.reference, depth) {
        (Some((channel, message)), 0) => by_id(conn, channel, message, viewer, 1)?.map(Box::new),
        _ => None,
    };
    Ok(Message {
        id: raw.id,
        channel_id: raw.channel_id,
        author,
        content: raw.content,
        kind: raw.kind,
        flags: raw.flags,
        tts: raw.tts,
        nonce: raw.nonce,
        edited_at: raw.edited_at,
        pinned: raw.pinned,
        mention_everyone: raw.mention_everyone,
        mentions,
        mention_roles: ids_from_json(&raw.mention_roles),
        embeds: serde_json::from_str(&raw.embeds).unwrap_or_else(|_| serde_json::json!([])),
        reference: raw.reference,
        thread_id: raw.thread_id,
        attachments: attachments_of(conn, raw.id)?,
        reactions: reactions_of(conn, raw.id, viewer)?,
        referenced,
    })
}

pub(super) fn by_id(
    conn: &Connection,
    channel_id: Snowflake,
    id: Snowflake,
    viewer: Snowflake,
    depth: u8,
) -> Result<Option<Message>, StoreError> {
    let found = conn
        .cached_row(
            &format!("SELECT {COLUMNS} FROM messages WHERE id = ?1 AND channel_id = ?2"),
            params![id, channel_id],
            raw,
        )
        .optional_row()?;
    found.map(|r| load(conn, r, viewer, depth)).transpose()
}

fn page(
    conn: &Connection,
    channel_id: Snowflake,
    anchor: Anchor,
    limit: i64,
    viewer: Snowflake,
) -> Result<Vec<Message>, StoreError> {
    let query = |sql: &str, bound: Snowflake, limit: i64| -> Result<Vec<Raw>, StoreError> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM messages WHERE channel_id = ?1 AND {sql} LIMIT ?3"
        ))?;
        let rows = stmt.query_map(params![channel_id, bound, limit], raw)?;
        Ok(rows.collect::<Result<_, _>>()?)
    };
    let mut raws = match anchor {
        Anchor::Latest => query("id < ?2 ORDER BY id DESC", i64::MAX, limit)?,
        Anchor::Before(id) => query("id < ?2 ORDER BY id DESC", id, limit)?,
        Anchor::After(id) => {
            let mut rows = query("id > ?2 ORDER BY id ASC", id, limit)?;
            rows.reverse();
            rows
        }
        Anchor::Around(id) => {
            let newer_count = limit / 2;
            let mut newer = query("id > ?2 ORDER BY id ASC", id, newer_count)?;
            newer.reverse();
            let older = query("id <= ?2 ORDER BY id DESC", id, limit - newer.len() as i64)?;
            newer.extend(older);
            newer
        }
    };
    raws.truncate(limit as usize);
    raws.into_iter().map(|r| load(conn, r, viewer, 0)).collect()
}

impl Store {
    /// Stores a message (and its attachments), bumps the channel's `last_message_id`. Returns it loaded.
    /// Its time is the one in its snowflake id.
    pub async fn message_create(&self, new: NewMessage) -> Result<Message, StoreError> {
        let id = self.next_id();
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO messages (id, channel_id, author_id, content, type, flags, tts, nonce, mention_everyone,
                                       mentions, mention_roles, embeds, reference_channel_id, reference_message_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    id,
                    new.channel_id,
                    new.author_id,
                    new.content,
                    new.kind,
                    new.flags,
                    new.tts,
                    new.nonce,
                    new.mention_everyone,
                    ids_to_json(&new.mentions),
                    ids_to_json(&new.mention_roles),
                    new.embeds.to_string(),
                    new.reference.map(|r| r.0),
                    new.reference.map(|r| r.1)
                ],
            )?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO attachments (id, message_id, filename, content_type, size, width, height, description)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for a in &new.attachments {
                insert.execute(params![
                    a.id,
                    id,
                    a.filename,
                    a.content_type,
                    a.size,
                    a.width,
                    a.height,
                    a.description
                ])?;
            }
            tx.execute(
                "UPDATE channels SET last_message_id = ?2, message_count = message_count + 1 WHERE id = ?1",
                params![new.channel_id, id],
            )?;
            by_id(tx, new.channel_id, id, new.author_id, 0)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    /// One message, as `viewer` sees it.
    pub async fn message_get(
        &self,
        channel_id: Snowflake,
        id: Snowflake,
        viewer: Snowflake,
    ) -> Result<Option<Message>, StoreError> {
        self.read(move |conn| by_id(conn, channel_id, id, viewer, 0)).await
    }

    /// The message `author_id` sent in `channel_id` with `nonce`, if newer than `since`.
    pub async fn message_by_nonce(
        &self,
        channel_id: Snowflake,
        author_id: Snowflake,
        nonce: String,
        since: Snowflake,
    ) -> Result<Option<Message>, StoreError> {
        self.read(move |conn| {
            let found = conn
                .cached_row(
                    &format!(
                        "SELECT {COLUMNS} FROM messages WHERE channel_id = ?1 AND id > ?2 AND author_id = ?3 AND nonce = ?4
                         ORDER BY id LIMIT 1"
                    ),
                    params![channel_id, since, author_id, nonce],
                    raw,
                )
                .optional_row()?;
            found.map(|r| load(conn, r, author_id, 0)).transpose()
        })
        .await
    }

    /// A page of messages, newest first, as Discord returns them.
    pub async fn messages_page(
        &self,
        channel_id: Snowflake,
        anchor: Anchor,
        limit: i64,
        viewer: Snowflake,
    ) -> Result<Vec<Message>, StoreError> {
        self.read(move |conn| page(conn, channel_id, anchor, limit, viewer))
            .await
    }

    /// Pinned messages, most recently pinned first.
    pub async fn pins(&self, channel_id: Snowflake, viewer: Snowflake) -> Result<Vec<(Message, Millis)>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {COLUMNS}, pinned_at FROM messages WHERE channel_id = ?1 AND pinned = 1 ORDER BY pinned_at DESC, id DESC"
            ))?;
            let rows: Vec<(Raw, Millis)> =
                stmt.query_map([channel_id], |row| Ok((raw(row)?, row.get(17)?)))?.collect::<Result<_, _>>()?;
            rows.into_iter().map(|(r, at)| Ok((load(conn, r, viewer, 0)?, at))).collect()
        })
        .await
    }

    /// Edits a message; returns it after the edit.
    pub async fn message_edit(
        &self,
        channel_id: Snowflake,
        id: Snowflake,
        patch: MessagePatch,
        now: Millis,
    ) -> Result<Message, StoreError> {
        self.write(move |tx| {
            let before = by_id(tx, channel_id, id, 0, 1)?.ok_or(StoreError::NotFound)?;
            if let Some((content, mentions, roles, everyone)) = &patch.content {
                tx.execute(
                    "UPDATE messages SET content = ?2, mentions = ?3, mention_roles = ?4, mention_everyone = ?5, edited_at = ?6
                     WHERE id = ?1",
                    params![id, content, ids_to_json(mentions), ids_to_json(roles), everyone, now],
                )?;
            }
            if let Some(embeds) = &patch.embeds {
                tx.execute("UPDATE messages SET embeds = ?2 WHERE id = ?1", params![id, embeds.to_string()])?;
            }
            if let Some(flags) = patch.flags {
                tx.execute("UPDATE messages SET flags = ?2 WHERE id = ?1", params![id, flags])?;
            }
            by_id(tx, channel_id, id, before.author.id, 0)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    /// Sets or clears the pinned flag; returns the message, or `None` if nothing changed.
    pub async fn message_set_pinned(
        &self,
        channel_id: Snowflake,
        id: Snowflake,
        pinned: bool,
        now: Millis,
    ) -> Result<Option<Message>, StoreError> {
        self.write(move |tx| {
            let message = by_id(tx, channel_id, id, 0, 1)?.ok_or(StoreError::NotFound)?;
            if message.pinned == pinned {
                return Ok(None);
            }
            tx.execute(
                "UPDATE messages SET pinned = ?2, pinned_at = CASE WHEN ?2 THEN ?3 END WHERE id = ?1",
                params![id, pinned, now],
            )?;
            if pinned {
                tx.execute(
                    "UPDATE channels SET last_pin_timestamp = ?2 WHERE id = ?1",
                    params![channel_id, now],
                )?;
            }
            by_id(tx, channel_id, id, 0, 0)
        })
        .await
    }

    /// Records the thread started from a message.
    pub async fn message_set_thread(
        &self,
        channel_id: Snowflake,
        id: Snowflake,
        thread_id: Snowflake,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            match tx.execute(
                "UPDATE messages SET thread_id = ?3 WHERE id = ?1 AND channel_id = ?2",
                params![id, channel_id, thread_id],
            )? {
                0 => Err(StoreError::NotFound),
                _ => Ok(()),
            }
        })
        .await
    }

    /// An attachment of a message in `channel_id`.
    pub async fn attachment_get(&self, channel_id: Snowflake, id: Snowflake) -> Result<Option<Attachment>, StoreError> {
        self.read(move |conn| {
            let message: Option<Snowflake> = conn
                .cached_row(
                    "SELECT a.message_id FROM attachments a JOIN messages m ON m.id = a.message_id
                     WHERE a.id = ?1 AND m.channel_id = ?2",
                    params![id, channel_id],
                    |row| row.get(0),
                )
                .optional_row()?;
            match message {
                Some(message) => Ok(attachments_of(conn, message)?.into_iter().find(|a| a.id == id)),
                None => Ok(None),
            }
        })
        .await
    }

    /// Deletes messages of a channel; returns the ids that existed, with their attachments' ids.
    pub async fn messages_delete(
        &self,
        channel_id: Snowflake,
        ids: Vec<Snowflake>,
    ) -> Result<Vec<(Snowflake, Vec<Snowflake>)>, StoreError> {
        self.write(move |tx| {
            let mut deleted = Vec::new();
            for id in ids {
                let files: Vec<Snowflake> = attachments_of(tx, id)?.into_iter().map(|a| a.id).collect();
                if tx.execute(
                    "DELETE FROM messages WHERE id = ?1 AND channel_id = ?2",
                    params![id, channel_id],
                )? == 1
                {
                    deleted.push((id, files));
                }
            }
            Ok(deleted)
        })
        .await
    }
}

//! Messages: create, read (single, pages), edit, delete; rows are loaded in `message_rows`, pins live in `pins`. A loaded [`Message`] carries what Discord's
//! message object shows: author, mentioned users, attachments, reaction counts (with `me` for the viewer) and
//! the message it replies to.

use rusqlite::params;

use super::error::{CachedRow, OptionalRow};
use super::message_rows::{COLUMNS, attachments_of, by_id, ids_to_json, load, page, raw};
use super::users::User;
use super::{Snowflake, Store, StoreError};
use crate::clock::Millis;

/// A stored attachment.
#[derive(Debug, Clone, PartialEq)]
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
    /// A voice message's length, in seconds.
    pub duration_secs: Option<f64>,
    /// A voice message's waveform: base64 of up to 256 one-byte samples.
    pub waveform: Option<String>,
}

/// Reaction count for one emoji.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReactionCount {
    /// The emoji: a unicode emoji, or a custom emoji's id in decimal.
    pub emoji: String,
    /// A custom emoji's name and whether it moves (its row is kept after a delete).
    pub custom: Option<(String, bool)>,
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
    /// Embeds its author sent, as a JSON array.
    pub embeds: serde_json::Value,
    /// Link previews unfurled from its URLs, as a JSON array.
    pub link_embeds: serde_json::Value,
    /// The message this one replies to or refers to: (channel, message).
    pub reference: Option<(Snowflake, Snowflake)>,
    /// The thread started from this message.
    pub thread: Option<Box<super::Channel>>,
    /// Files.
    pub attachments: Vec<Attachment>,
    /// Reaction counts.
    pub reactions: Vec<ReactionCount>,
    /// The replied-to message, loaded one level deep (`None` if deleted or not a reply).
    pub referenced: Option<Box<Message>>,
    /// What only some messages have (webhooks, applications, components, interactions).
    pub extra: MessageExtra,
}

/// A sticker as a message carries it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StickerItem {
    /// The sticker.
    pub id: Snowflake,
    /// Its name then.
    pub name: String,
    /// Discord's format type.
    pub format_type: i64,
}

/// What only some messages carry, stored as one JSON column.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MessageExtra {
    /// Posted by this webhook (the author is its user row).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_id: Option<Snowflake>,
    /// The name it was posted under (a webhook's `username` override).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    /// The avatar hash it was posted under (files under `<data_dir>/avatars/<webhook id>/`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_avatar: Option<String>,
    /// The application that sent it (interaction responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<Snowflake>,
    /// Message components (action rows), as validated JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub components: Option<serde_json::Value>,
    /// Interaction metadata (the command that caused it), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interaction: Option<serde_json::Value>,
    /// Stickers sent with it, as they were then (a deleted sticker keeps its name here).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stickers: Vec<StickerItem>,
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
    /// Webhook, application, components, interaction.
    pub extra: MessageExtra,
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
    /// Files: the ids of the attachments to keep (the others are removed) and new ones to add.
    pub attachments: Option<(Vec<Snowflake>, Vec<Attachment>)>,
    /// New flags.
    pub flags: Option<i64>,
    /// New components / interaction data.
    pub extra: Option<MessageExtra>,
}

impl Store {
    /// Stores a message (and its attachments), bumps the channel's `last_message_id`. Returns it loaded, and
    /// whether it is new: with `nonce_since`, a message by the same author in the same channel with the same
    /// nonce, newer than that id, is returned instead of storing another (checked in the same write
    /// transaction, so parallel retries cannot both store). Its time is the one in its snowflake id.
    pub async fn message_create(
        &self,
        new: NewMessage,
        nonce_since: Option<Snowflake>,
    ) -> Result<(Message, bool), StoreError> {
        let id = self.next_id();
        self.write(move |tx| {
            if let (Some(since), Some(nonce)) = (nonce_since, &new.nonce) {
                let found = tx
                    .cached_row(
                        &format!(
                            "SELECT {COLUMNS} FROM messages
                             WHERE channel_id = ?1 AND id > ?2 AND author_id = ?3 AND nonce = ?4 ORDER BY id LIMIT 1"
                        ),
                        params![new.channel_id, since, new.author_id, nonce],
                        raw,
                    )
                    .optional_row()?;
                if let Some(first) = found {
                    return Ok((load(tx, first, new.author_id, 0)?, false));
                }
            }
            tx.execute(
                "INSERT INTO messages (id, channel_id, author_id, content, type, flags, tts, nonce, mention_everyone,
                                       mentions, mention_roles, embeds, reference_channel_id, reference_message_id,
                                       extra)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
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
                    new.reference.map(|r| r.1),
                    serde_json::to_string(&new.extra).unwrap_or_else(|_| "{}".into())
                ],
            )?;
            insert_attachments(tx, id, &new.attachments)?;
            tx.execute(
                "UPDATE channels SET last_message_id = ?2, message_count = message_count + 1 WHERE id = ?1",
                params![new.channel_id, id],
            )?;
            let message = by_id(tx, new.channel_id, id, new.author_id, 0)?.ok_or(StoreError::NotFound)?;
            Ok((message, true))
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
                    "UPDATE messages SET content = ?2, mentions = ?3, mention_roles = ?4, mention_everyone = ?5, edited_at = ?6,
                                         link_embeds = CASE WHEN content = ?2 THEN link_embeds ELSE '[]' END
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
            if let Some(extra) = &patch.extra {
                let text = serde_json::to_string(extra).unwrap_or_else(|_| "{}".into());
                tx.execute("UPDATE messages SET extra = ?2 WHERE id = ?1", params![id, text])?;
            }
            if let Some((keep, add)) = &patch.attachments {
                for gone in before.attachments.iter().filter(|a| !keep.contains(&a.id)) {
                    tx.execute("DELETE FROM attachments WHERE id = ?1 AND message_id = ?2", params![gone.id, id])?;
                }
                insert_attachments(tx, id, add)?;
                tx.execute("UPDATE messages SET edited_at = ?2 WHERE id = ?1", params![id, now])?;
            }
            by_id(tx, channel_id, id, before.author.id, 0)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    /// Replaces a message's link previews, provided its text is still `content` (an edit in the meantime
    /// makes these previews stale). Returns the message, or `None` when it is gone or was edited.
    pub async fn message_set_link_embeds(
        &self,
        channel_id: Snowflake,
        id: Snowflake,
        content: String,
        embeds: serde_json::Value,
    ) -> Result<Option<Message>, StoreError> {
        self.write(move |tx| {
            let changed = tx.execute(
                "UPDATE messages SET link_embeds = ?4 WHERE id = ?1 AND channel_id = ?2 AND content = ?3",
                params![id, channel_id, content, embeds.to_string()],
            )?;
            if changed == 0 {
                return Ok(None);
            }
            let author: Snowflake = tx.query_row("SELECT author_id FROM messages WHERE id = ?1", [id], |r| r.get(0))?;
            by_id(tx, channel_id, id, author, 0)
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

    /// Which of `ids` are attachments of stored messages.
    pub async fn attachments_known(
        &self,
        ids: Vec<Snowflake>,
    ) -> Result<std::collections::HashSet<Snowflake>, StoreError> {
        self.read(move |conn| {
            let mut known = std::collections::HashSet::new();
            let mut stmt = conn.prepare_cached("SELECT 1 FROM attachments WHERE id = ?1")?;
            for id in ids {
                if stmt.exists([id])? {
                    known.insert(id);
                }
            }
            Ok(known)
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

pub(super) fn insert_attachments(
    tx: &rusqlite::Connection,
    message_id: Snowflake,
    files: &[Attachment],
) -> Result<(), StoreError> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO attachments (id, message_id, filename, content_type, size, width, height, description,
         duration_secs, waveform) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for a in files {
        insert.execute(params![
            a.id,
            message_id,
            a.filename,
            a.content_type,
            a.size,
            a.width,
            a.height,
            a.description,
            a.duration_secs,
            a.waveform
        ])?;
    }
    Ok(())
}

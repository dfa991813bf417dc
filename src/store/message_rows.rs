//! How stored messages become [`Message`]s: the columns, the row type, and loading a message with its author,
//! mentions, attachments, reactions (with `me` for the viewer) and the message it replies to; pages of history.

use rusqlite::{Connection, Row, params};

use super::error::{CachedRow, OptionalRow};
use super::messages::{Anchor, Attachment, Message, ReactionCount};
use super::users;
use super::{Snowflake, StoreError};
use crate::clock::Millis;

pub(super) const COLUMNS: &str = "id, channel_id, author_id, content, type, flags, tts, nonce, edited_at, pinned, mention_everyone, \
mentions, mention_roles, embeds, reference_channel_id, reference_message_id, thread_id, link_embeds, extra";

/// How many columns [`COLUMNS`] names: a query that selects more after them reads those from this index on.
pub(super) const COLUMN_COUNT: usize = 19;

pub(super) struct Raw {
    pub(super) id: Snowflake,
    pub(super) channel_id: Snowflake,
    pub(super) author_id: Snowflake,
    pub(super) content: String,
    pub(super) kind: i64,
    pub(super) flags: i64,
    pub(super) tts: bool,
    pub(super) nonce: Option<String>,
    pub(super) edited_at: Option<Millis>,
    pub(super) pinned: bool,
    pub(super) mention_everyone: bool,
    pub(super) mentions: String,
    pub(super) mention_roles: String,
    pub(super) embeds: String,
    pub(super) reference: Option<(Snowflake, Snowflake)>,
    pub(super) thread_id: Option<Snowflake>,
    pub(super) link_embeds: String,
    pub(super) extra: String,
}

pub(super) fn raw(row: &Row<'_>) -> rusqlite::Result<Raw> {
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
        link_embeds: row.get(17)?,
        extra: row.get(18)?,
    })
}

pub(super) fn ids_from_json(text: &str) -> Vec<Snowflake> {
    serde_json::from_str::<Vec<String>>(text)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect()
}

pub(super) fn ids_to_json(ids: &[Snowflake]) -> String {
    serde_json::to_string(&ids.iter().map(ToString::to_string).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

pub(super) fn attachments_of(conn: &Connection, message_id: Snowflake) -> Result<Vec<Attachment>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, filename, content_type, size, width, height, description, duration_secs, waveform FROM attachments WHERE message_id = ?1 ORDER BY id",
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
            duration_secs: row.get(7)?,
            waveform: row.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn reactions_of(
    conn: &Connection,
    message_id: Snowflake,
    viewer: Snowflake,
) -> Result<Vec<ReactionCount>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.emoji, count(*), max(r.user_id = ?2), e.name, e.animated FROM reactions r
         LEFT JOIN emojis e ON r.emoji GLOB '[0-9]*' AND e.id = CAST(r.emoji AS INTEGER)
         WHERE r.message_id = ?1 GROUP BY r.emoji ORDER BY min(r.created_at)",
    )?;
    let rows = stmt.query_map(params![message_id, viewer], |row| {
        let name: Option<String> = row.get(3)?;
        let animated: Option<bool> = row.get(4)?;
        Ok(ReactionCount {
            emoji: row.get(0)?,
            custom: name.map(|n| (n, animated.unwrap_or(false))),
            count: row.get(1)?,
            me: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn load(conn: &Connection, raw: Raw, viewer: Snowflake, depth: u8) -> Result<Message, StoreError> {
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
        link_embeds: serde_json::from_str(&raw.link_embeds).unwrap_or_else(|_| serde_json::json!([])),
        reference: raw.reference,
        thread: raw
            .thread_id
            .map(|id| super::channels::by_id(conn, id))
            .transpose()?
            .flatten()
            .map(Box::new),
        attachments: attachments_of(conn, raw.id)?,
        reactions: reactions_of(conn, raw.id, viewer)?,
        referenced,
        extra: serde_json::from_str(&raw.extra).unwrap_or_default(),
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

pub(super) fn page(
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

#[cfg(test)]
mod tests {
    #[test]
    fn column_count_matches_the_column_list() {
        assert_eq!(super::COLUMNS.split(',').count(), super::COLUMN_COUNT);
    }
}

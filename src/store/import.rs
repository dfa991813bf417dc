//! History brought in from a Discord export: imported people (user rows that never log in), what each imported
//! Discord id became (`import_ids`, so a second import skips what is there), channels made by source id, and
//! messages written in batches — one transaction per batch, so a failure leaves whole batches or nothing.
//! Claiming an imported person moves their messages, mentions and reactions to an account.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::channels::{Channel, NewChannel};
use super::message_rows::ids_to_json;
use super::messages::{Attachment, MessageExtra};
use super::{Snowflake, Store, StoreError};
use crate::clock::Millis;

/// A person as an export shows them.
#[derive(Debug, Clone, Default)]
pub struct ImportPerson {
    /// Their Discord id (placeholders for reactors an export does not list are negative).
    pub source_id: i64,
    /// The name shown (nickname, else username).
    pub display_name: String,
    /// `name#discriminator` (or the name alone).
    pub tag: String,
    /// Their role colour.
    pub color: Option<i64>,
    /// A bot.
    pub is_bot: bool,
    /// Avatar hash, when the export had the picture.
    pub avatar: Option<String>,
}

/// An imported person, as the admin panel and `spot import people` list them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPerson {
    /// Their user row.
    pub user_id: Snowflake,
    /// Their Discord id.
    pub source_id: i64,
    /// `name#discriminator`.
    pub tag: String,
    /// The name shown.
    pub display_name: String,
    /// A bot.
    pub is_bot: bool,
    /// Messages written under them now.
    pub messages: i64,
    /// The account their history moved to.
    pub claimed_by: Option<Snowflake>,
}

/// A message ready to write.
#[derive(Debug, Clone, Default)]
pub struct ImportMessage {
    /// Its Discord id.
    pub source_id: i64,
    /// The spot id (its time is the original time).
    pub id: Snowflake,
    /// Where.
    pub channel_id: Snowflake,
    /// Who.
    pub author_id: Snowflake,
    /// Text.
    pub content: String,
    /// Discord message type.
    pub kind: i64,
    /// Last edit.
    pub edited_at: Option<Millis>,
    /// Pinned.
    pub pinned: bool,
    /// People mentioned.
    pub mentions: Vec<Snowflake>,
    /// Embeds, as a JSON array.
    pub embeds: String,
    /// What it replies to.
    pub reference: Option<(Snowflake, Snowflake)>,
    /// Files.
    pub attachments: Vec<Attachment>,
    /// Reactions: the stored emoji key and who.
    pub reactions: Vec<(String, Vec<Snowflake>)>,
    /// Stickers and the like.
    pub extra: MessageExtra,
}

impl Store {
    /// What these Discord ids of `kind` became, where they were imported before.
    pub async fn import_ids(
        &self,
        kind: &'static str,
        sources: Vec<i64>,
    ) -> Result<HashMap<i64, Snowflake>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached("SELECT spot_id FROM import_ids WHERE kind = ?1 AND source_id = ?2")?;
            let mut out = HashMap::new();
            for source in sources {
                if let Some(id) = stmt.query_row(params![kind, source], |r| r.get(0)).optional()? {
                    out.insert(source, id);
                }
            }
            Ok(out)
        })
        .await
    }

    /// The imported person for a Discord id: found (their user row), or made. Returns (user id, made).
    pub async fn import_person(&self, person: ImportPerson, now: Millis) -> Result<(Snowflake, bool), StoreError> {
        let id = self.next_id();
        self.write(move |tx| {
            let found: Option<(Snowflake, Option<Snowflake>)> = tx
                .query_row(
                    "SELECT user_id, claimed_by FROM imported_people WHERE source_id = ?1",
                    [person.source_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((user, claimed)) = found {
                // A claimed person's new history goes to the account directly.
                return Ok((claimed.unwrap_or(user), false));
            }
            let username = format!("imported-{}", person.source_id.unsigned_abs());
            tx.execute(
                "INSERT INTO users (id, username, global_name, password_hash, is_bot, imported, avatar, created_at)
                 VALUES (?1, ?2, ?3, NULL, ?4, 1, ?5, ?6)",
                params![id, username, person.display_name, person.is_bot, person.avatar, now],
            )?;
            tx.execute(
                "INSERT INTO imported_people (user_id, source_id, tag, color, is_bot) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, person.source_id, person.tag, person.color, person.is_bot],
            )?;
            Ok((id, true))
        })
        .await
    }

    /// The channel an export's channel became: found by its Discord id, or made (and recorded). Returns the
    /// channel and whether it was made.
    pub async fn import_channel(
        &self,
        source_id: i64,
        new: NewChannel,
        now: Millis,
    ) -> Result<(Channel, bool), StoreError> {
        let id = self.next_id();
        self.write(move |tx| {
            let found: Option<Snowflake> = tx
                .query_row(
                    "SELECT spot_id FROM import_ids WHERE kind = 'channel' AND source_id = ?1",
                    [source_id],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(existing) = found.and_then(|id| super::channels::by_id(tx, id).transpose()) {
                return Ok((existing?, false));
            }
            let channel = super::channels::insert(tx, id, &new, now)?;
            tx.execute(
                "INSERT OR REPLACE INTO import_ids (kind, source_id, spot_id) VALUES ('channel', ?1, ?2)",
                params![source_id, id],
            )?;
            Ok((channel, true))
        })
        .await
    }

    /// Writes a batch of messages in one transaction; those whose Discord id was imported before are skipped.
    /// Returns how many were written.
    pub async fn import_messages(&self, batch: Vec<ImportMessage>, now: Millis) -> Result<usize, StoreError> {
        self.write(move |tx| {
            // The batch's messages are indexed for search in one statement at the end (four times faster than
            // the insert trigger's one by one); the flag is cleared however this ends.
            struct Bulk;
            impl Drop for Bulk {
                fn drop(&mut self) {
                    super::INDEXING_IN_BULK.with(|flag| flag.set(false));
                }
            }
            super::INDEXING_IN_BULK.with(|flag| flag.set(true));
            let _bulk = Bulk;
            let mut written = 0;
            let mut ids = Vec::with_capacity(batch.len());
            let mut last: HashMap<Snowflake, (Snowflake, i64)> = HashMap::new();
            for m in &batch {
                // Recorded first: a Discord id seen before (this import or an earlier one) is skipped.
                let fresh = tx
                    .prepare_cached(
                        "INSERT OR IGNORE INTO import_ids (kind, source_id, spot_id) VALUES ('message', ?1, ?2)",
                    )?
                    .execute(params![m.source_id, m.id])?;
                if fresh == 0 {
                    continue;
                }
                // Two imports can pick one id for the same millisecond: the next free id keeps the time.
                let mut id = m.id;
                let mut insert = tx.prepare_cached(
                    "INSERT OR IGNORE INTO messages (id, channel_id, author_id, content, type, edited_at, pinned,
                                       pinned_at, mentions, embeds, reference_channel_id, reference_message_id, extra)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CASE WHEN ?7 THEN ?8 END, ?9, ?10, ?11, ?12, ?13)",
                )?;
                let (mentions, extra) = (
                    ids_to_json(&m.mentions),
                    serde_json::to_string(&m.extra).unwrap_or_else(|_| "{}".into()),
                );
                while insert.execute(params![
                    id,
                    m.channel_id,
                    m.author_id,
                    m.content,
                    m.kind,
                    m.edited_at,
                    m.pinned,
                    now,
                    mentions,
                    m.embeds,
                    m.reference.map(|r| r.0),
                    m.reference.map(|r| r.1),
                    extra
                ])? == 0
                {
                    id += 1;
                }
                if id != m.id {
                    tx.execute(
                        "UPDATE import_ids SET spot_id = ?2 WHERE kind = 'message' AND source_id = ?1",
                        params![m.source_id, id],
                    )?;
                }
                super::messages::insert_attachments(tx, id, &m.attachments)?;
                let mut react = tx.prepare_cached(
                    "INSERT OR IGNORE INTO reactions (message_id, emoji, user_id, created_at) VALUES (?1, ?2, ?3, ?4)",
                )?;
                for (emoji, users) in &m.reactions {
                    for (n, user) in users.iter().enumerate() {
                        react.execute(params![id, emoji, user, now + n as i64])?;
                    }
                }
                let (newest, count) = last.entry(m.channel_id).or_insert((id, 0));
                *newest = (*newest).max(id);
                *count += 1;
                written += 1;
                ids.push(id);
            }
            tx.execute(
                "INSERT INTO messages_fts(rowid, content)
                 SELECT m.id, m.content FROM json_each(?1) j JOIN messages m ON m.id = j.value",
                [serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into())],
            )?;
            for (channel, (newest, count)) in last {
                tx.execute(
                    "UPDATE channels SET last_message_id = max(coalesce(last_message_id, 0), ?2),
                     message_count = message_count + ?3 WHERE id = ?1",
                    params![channel, newest, count],
                )?;
            }
            Ok(written)
        })
        .await
    }

    /// Every imported person, with how many messages are theirs now.
    pub async fn imported_people(&self) -> Result<Vec<ImportedPerson>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT p.user_id, p.source_id, p.tag, coalesce(u.global_name, u.username), p.is_bot, p.claimed_by,
                        (SELECT count(*) FROM messages m WHERE m.author_id = p.user_id)
                 FROM imported_people p JOIN users u ON u.id = p.user_id WHERE p.source_id > 0 ORDER BY p.tag",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(ImportedPerson {
                    user_id: r.get(0)?,
                    source_id: r.get(1)?,
                    tag: r.get(2)?,
                    display_name: r.get(3)?,
                    is_bot: r.get(4)?,
                    claimed_by: r.get(5)?,
                    messages: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Moves an imported person's history to `account`: their messages, the mentions of them (in the lists and
    /// in the text) and their reactions. Returns how many messages moved.
    pub async fn import_claim(&self, person: Snowflake, account: Snowflake) -> Result<usize, StoreError> {
        self.write(move |tx| claim(tx, person, account)).await
    }

    /// Makes the invite `code` carry a claim on an imported person.
    pub async fn invite_set_claim(&self, code: String, person: Snowflake) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.execute("UPDATE invites SET claims = ?2 WHERE code = ?1", params![code, person])?;
            Ok(())
        })
        .await
    }

    /// The imported person an invite is for, with their Discord name.
    pub async fn invite_claim(&self, code: String) -> Result<Option<(Snowflake, String)>, StoreError> {
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT p.user_id, p.tag FROM invites i JOIN imported_people p ON p.user_id = i.claims
                     WHERE i.code = ?1 AND p.claimed_by IS NULL",
                    [code],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?)
        })
        .await
    }
}

/// Moves an imported person's history to an account (see [`Store::import_claim`]).
pub(super) fn claim(tx: &rusqlite::Connection, person: Snowflake, account: Snowflake) -> Result<usize, StoreError> {
    {
        {
            let is_person: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM imported_people WHERE user_id = ?1)",
                [person],
                |r| r.get(0),
            )?;
            if !is_person {
                return Err(StoreError::NotFound);
            }
            let moved = tx.execute(
                "UPDATE messages SET author_id = ?2 WHERE author_id = ?1",
                params![person, account],
            )?;
            let (from, to) = (format!("\"{person}\""), format!("\"{account}\""));
            tx.execute(
                "UPDATE messages SET mentions = replace(mentions, ?1, ?2) WHERE instr(mentions, ?1) > 0",
                params![from, to],
            )?;
            let (from, to) = (format!("<@{person}>"), format!("<@{account}>"));
            tx.execute(
                "UPDATE messages SET content = replace(content, ?1, ?2) WHERE instr(content, ?1) > 0",
                params![from, to],
            )?;
            tx.execute(
                "UPDATE OR IGNORE reactions SET user_id = ?2 WHERE user_id = ?1",
                params![person, account],
            )?;
            tx.execute("DELETE FROM reactions WHERE user_id = ?1", [person])?;
            tx.execute(
                "UPDATE imported_people SET claimed_by = ?2 WHERE user_id = ?1",
                params![person, account],
            )?;
            Ok(moved)
        }
    }
}

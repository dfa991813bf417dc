//! Messages: send, edit, delete, bulk delete, history, pins and typing.

use serde::Deserialize;
use serde_json::Value;

use super::attachments;
use super::mentions::{self, AllowedMentions};
use super::{Access, Chat, ChatError};
use crate::hub::{Event, intents};
use crate::perms::bits;
use crate::store::{Anchor, Attachment, Message, MessagePatch, NewMessage, Snowflake, StoreError, User};
use crate::wire;

/// Discord's message flag SUPPRESS_EMBEDS; the only flag users may set.
pub const SUPPRESS_EMBEDS: i64 = 1 << 2;
/// How long a nonce is remembered for `enforce_nonce`.
const NONCE_WINDOW_MS: i64 = 5 * 60 * 1000;

/// A reply target.
#[derive(Debug, Clone, Deserialize)]
pub struct MessageReference {
    /// The message replied to.
    #[serde(default, deserialize_with = "super::ids::deserialize_opt")]
    pub message_id: Option<Snowflake>,
    /// Its channel (must be the same channel).
    #[serde(default, deserialize_with = "super::ids::deserialize_opt")]
    pub channel_id: Option<Snowflake>,
    /// Fail when the message does not exist (default true).
    pub fail_if_not_exists: Option<bool>,
}

/// The body of "create message" (JSON, or `payload_json` of a multipart upload).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MessageInput {
    /// Text.
    pub content: Option<String>,
    /// Client nonce (string or number).
    pub nonce: Option<Value>,
    /// Text-to-speech (`null` is false, as on Discord).
    #[serde(default, deserialize_with = "super::ids::null_as_default")]
    pub tts: bool,
    /// Rich embeds.
    pub embeds: Option<Vec<Value>>,
    /// Mention filter.
    pub allowed_mentions: Option<AllowedMentions>,
    /// Reply target.
    pub message_reference: Option<MessageReference>,
    /// Message flags (only SUPPRESS_EMBEDS is honoured).
    pub flags: Option<i64>,
    /// With a nonce: a repeat of the same nonce by the same author within minutes returns the first message
    /// instead of posting twice (what Discord does; libraries set it so retries cannot duplicate).
    #[serde(default, deserialize_with = "super::ids::null_as_default")]
    pub enforce_nonce: bool,
    /// Files, stored by the HTTP layer before the call (not part of the JSON).
    #[serde(skip)]
    pub files: Vec<Attachment>,
    /// Buttons and menus (action rows); only bots may send them, as on Discord.
    #[serde(default)]
    pub components: Option<Value>,
    /// The space's stickers to send (up to three).
    #[serde(default, deserialize_with = "super::ids::deserialize_vec")]
    pub sticker_ids: Vec<Snowflake>,
    /// What the new files carry, by index: alt text, a voice message's length and waveform.
    #[serde(default, deserialize_with = "super::ids::null_as_default")]
    pub attachments: Vec<super::attachments::AttachmentMeta>,
    /// Embeds spot itself made (the DJ's now-playing card), already in stored form: they may carry spot's own
    /// same-origin `proxy_url` links, which a client's embeds cannot set (not part of the JSON).
    #[serde(skip)]
    pub made_embeds: Vec<wire::Embed>,
}

/// The body of "edit message".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EditInput {
    /// New text.
    pub content: Option<String>,
    /// New embeds.
    pub embeds: Option<Vec<Value>>,
    /// New flags (only SUPPRESS_EMBEDS is honoured).
    pub flags: Option<i64>,
    /// Mention filter for the new text.
    pub allowed_mentions: Option<AllowedMentions>,
    /// The attachments the message keeps, by id (Discord's edit semantics: those not listed are removed;
    /// entries for new files refer to them by their index and are not kept ids). Absent: all are kept.
    pub attachments: Option<Vec<AttachmentRef>>,
    /// New buttons and menus (a bot's own messages; `[]` removes them).
    #[serde(default)]
    pub components: Option<Value>,
    /// New files, stored by the HTTP layer before the call (not part of the JSON).
    #[serde(skip)]
    pub files: Vec<Attachment>,
}

/// An entry of an edit's `attachments`: an existing attachment's id, or a new file's index.
#[derive(Debug, Clone, Deserialize)]
pub struct AttachmentRef {
    /// Snowflake of a kept attachment, or the index `n` of `files[n]`.
    #[serde(deserialize_with = "super::ids::deserialize")]
    pub id: Snowflake,
}

impl Chat {
    /// Publishes a message event, with the content-less variant for bots without MESSAGE_CONTENT.
    pub(super) async fn publish_message(
        &self,
        name: &'static str,
        message: &Message,
        access: &Access,
    ) -> Result<(), ChatError> {
        // The actor's membership came with the permission check; anyone else's is looked up. DMs have none.
        let member = match (access.channel.guild_id, &access.member) {
            (None, _) => None,
            (Some(_), Some(own)) if own.user.id == message.author.id => Some(own.clone()),
            (Some(guild_id), _) => self.store.member_get(guild_id, message.author.id).await?,
        };
        self.publish_message_in(name, message, access, member.as_ref());
        Ok(())
    }

    /// Publishes a message event where `access` says, its author's membership already known. In a DM the
    /// people in it get the content whatever their intents (Discord's rule for DMs).
    pub(super) fn publish_message_in(
        &self,
        name: &'static str,
        message: &Message,
        access: &Access,
        member: Option<&crate::store::Member>,
    ) {
        let data = wire::message(message, access.channel.guild_id, member, &self.urls);
        let mut exempt: Vec<Snowflake> = message.mentions.iter().map(|u| u.id).collect();
        exempt.push(message.author.id);
        exempt.extend(&access.recipients);
        let event = Event::new(
            name,
            &data,
            access.audience(),
            access.intent(intents::GUILD_MESSAGES, intents::DIRECT_MESSAGES),
        )
        .with_content_variant(exempt);
        self.hub.publish(event);
    }

    /// Sends a message.
    pub async fn send(
        &self,
        actor: &User,
        channel_id: Snowflake,
        input: MessageInput,
    ) -> Result<(Message, Option<Snowflake>), ChatError> {
        let access = self.access(actor, channel_id).await?;
        if !access.channel.kind.is_textual() {
            return Err(ChatError::invalid("channel_id", "this channel cannot hold messages"));
        }
        let needed = if access.channel.kind.is_thread() {
            bits::SEND_MESSAGES_IN_THREADS
        } else {
            bits::SEND_MESSAGES
        };
        access.require(needed)?;
        if access.channel.archived && access.channel.locked {
            return Err(ChatError::ThreadArchived);
        }
        let mut files = input.files;
        if !files.is_empty() {
            access.require(bits::ATTACH_FILES)?;
        }
        self.check_private_send(actor, &access).await?;
        attachments::apply_meta(&mut files, &input.attachments)?;
        let stickers = self
            .message_stickers(access.channel.guild_id, &input.sticker_ids)
            .await?;
        let content = input.content.clone().unwrap_or_default();
        self.check_content(&content)?;
        let components = match input.components.as_ref().filter(|c| !c.is_null()) {
            Some(_) if !actor.is_bot => {
                return Err(ChatError::invalid(
                    "components",
                    "Only applications can send components",
                ));
            }
            Some(rows) => Some(super::interactions::checked_components(rows)?)
                .filter(|r| r.as_array().is_some_and(|a| !a.is_empty())),
            None => None,
        };
        let mut embeds = check_embeds(input.embeds.as_deref())?;
        embeds.extend(input.made_embeds.iter().cloned());
        let embeds = stored_embeds(&embeds);
        if content.trim().is_empty()
            && embeds.as_array().is_none_or(Vec::is_empty)
            && files.is_empty()
            && components.is_none()
            && stickers.is_empty()
        {
            return Err(ChatError::EmptyMessage);
        }
        let voice = input.flags.unwrap_or(0) & attachments::IS_VOICE_MESSAGE != 0;
        if voice {
            let other = !content.trim().is_empty()
                || embeds.as_array().is_some_and(|e| !e.is_empty())
                || !stickers.is_empty()
                || components.is_some();
            attachments::check_voice_message(&access, &mut files, other)?;
        }
        let reference = self
            .reply_target(actor, &access, input.message_reference.as_ref())
            .await?;
        let mut found = mentions::parse(
            &content,
            input.allowed_mentions.as_ref(),
            access.perms & bits::MENTION_EVERYONE != 0,
        );
        if let (Some((channel, message)), true) = (
            reference,
            input
                .allowed_mentions
                .as_ref()
                .and_then(|a| a.replied_user)
                .unwrap_or(true),
        ) && let Some(replied) = self.store.message_get(channel, message, actor.id).await?
            && !found.users.contains(&replied.author.id)
        {
            found.users.push(replied.author.id);
        }
        let nonce = match input.nonce {
            Some(Value::String(s)) if s.len() <= 25 => Some(s),
            Some(Value::Number(n)) => Some(n.to_string()),
            None | Some(Value::Null) => None,
            Some(_) => {
                return Err(ChatError::invalid(
                    "nonce",
                    "must be a string of at most 25 characters or an integer",
                ));
            }
        };
        let nonce_since = (input.enforce_nonce && nonce.is_some())
            .then(|| crate::store::snowflake_at(self.clock.now_ms() - NONCE_WINDOW_MS));
        let new = NewMessage {
            channel_id,
            author_id: actor.id,
            content,
            kind: if reference.is_some() { 19 } else { 0 },
            flags: input.flags.unwrap_or(0) & (SUPPRESS_EMBEDS | attachments::IS_VOICE_MESSAGE),
            tts: input.tts,
            nonce,
            mention_everyone: found.everyone,
            mentions: found.users,
            mention_roles: found.roles,
            embeds,
            reference,
            attachments: files,
            extra: crate::store::MessageExtra {
                components,
                stickers,
                ..Default::default()
            },
        };
        let (message, created) = self.store.message_create(new, nonce_since).await?;
        if !created {
            // A retry of a message already sent: the first one, once.
            return Ok((message, access.channel.guild_id));
        }
        self.reopen_private(&access).await?;
        self.publish_message("MESSAGE_CREATE", &message, &access).await?;
        self.request_previews(&access, &message);
        Ok((message, access.channel.guild_id))
    }

    pub(super) fn check_content(&self, content: &str) -> Result<(), ChatError> {
        if content.chars().count() > self.limits.max_message_length {
            return Err(ChatError::invalid(
                "content",
                format!("Must be {} or fewer in length.", self.limits.max_message_length),
            ));
        }
        Ok(())
    }

    async fn reply_target(
        &self,
        actor: &User,
        access: &Access,
        reference: Option<&MessageReference>,
    ) -> Result<Option<(Snowflake, Snowflake)>, ChatError> {
        let Some(reference) = reference else { return Ok(None) };
        let Some(message_id) = reference.message_id else {
            return Ok(None);
        };
        let channel_id = reference.channel_id.unwrap_or(access.channel.id);
        if channel_id != access.channel.id {
            return Err(ChatError::invalid(
                "message_reference",
                "replies must be in the same channel",
            ));
        }
        access.require(bits::READ_MESSAGE_HISTORY)?;
        match self.store.message_get(channel_id, message_id, actor.id).await? {
            Some(_) => Ok(Some((channel_id, message_id))),
            None if reference.fail_if_not_exists == Some(false) => Ok(None),
            None => Err(ChatError::invalid("message_reference", "Unknown message")),
        }
    }

    /// One message.
    pub async fn message(
        &self,
        actor: &User,
        channel_id: Snowflake,
        id: Snowflake,
    ) -> Result<(Message, Option<Snowflake>), ChatError> {
        let access = self.access(actor, channel_id).await?;
        access.require(bits::READ_MESSAGE_HISTORY)?;
        let message = self
            .store
            .message_get(channel_id, id, actor.id)
            .await?
            .ok_or(ChatError::UnknownMessage)?;
        Ok((message, access.channel.guild_id))
    }

    /// A page of history, newest first.
    pub async fn history(
        &self,
        actor: &User,
        channel_id: Snowflake,
        anchor: Anchor,
        limit: i64,
    ) -> Result<(Vec<Message>, Option<Snowflake>), ChatError> {
        let access = self.access(actor, channel_id).await?;
        if !access.channel.kind.is_textual() {
            return Ok((Vec::new(), access.channel.guild_id));
        }
        access.require(bits::READ_MESSAGE_HISTORY)?;
        let messages = self
            .store
            .messages_page(channel_id, anchor, limit.clamp(1, 100), actor.id)
            .await?;
        Ok((messages, access.channel.guild_id))
    }

    /// Edits a message: content, embeds and files by the author only; the SUPPRESS_EMBEDS flag also by
    /// managers. Returns the message, its guild, and the attachments it no longer has (their files can go).
    pub async fn edit(
        &self,
        actor: &User,
        channel_id: Snowflake,
        id: Snowflake,
        input: EditInput,
    ) -> Result<(Message, Option<Snowflake>, Vec<Snowflake>), ChatError> {
        let EditInput {
            content,
            embeds,
            flags,
            allowed_mentions: allowed,
            attachments,
            components,
            files,
        } = input;
        let access = self.access(actor, channel_id).await?;
        let before = self
            .store
            .message_get(channel_id, id, actor.id)
            .await?
            .ok_or(ChatError::UnknownMessage)?;
        let is_author = before.author.id == actor.id;
        let changes_files = attachments.is_some() || !files.is_empty();
        let components = components.filter(|c| !c.is_null());
        if (content.is_some() || embeds.is_some() || changes_files || components.is_some()) && !is_author {
            return Err(ChatError::NotAuthor);
        }
        if flags.is_some() && !is_author {
            access.require(bits::MANAGE_MESSAGES)?;
        }
        let mut patch = MessagePatch::default();
        if let Some(content) = content {
            self.check_content(&content)?;
            let found = mentions::parse(&content, allowed.as_ref(), access.perms & bits::MENTION_EVERYONE != 0);
            patch.content = Some((content, found.users, found.roles, found.everyone));
        }
        if let Some(embeds) = embeds {
            patch.embeds = Some(stored_embeds(&check_embeds(Some(&embeds))?));
        }
        if let Some(flags) = flags {
            patch.flags = Some((before.flags & !SUPPRESS_EMBEDS) | (flags & SUPPRESS_EMBEDS));
        }
        if let Some(rows) = components {
            if !actor.is_bot {
                return Err(ChatError::invalid(
                    "components",
                    "Only applications can send components",
                ));
            }
            let mut extra = before.extra.clone();
            let rows = super::interactions::checked_components(&rows)?;
            extra.components = rows.as_array().is_some_and(|r| !r.is_empty()).then_some(rows);
            patch.extra = Some(extra);
        }
        let mut removed = Vec::new();
        if changes_files {
            if !files.is_empty() {
                access.require(bits::ATTACH_FILES)?;
            }
            let keep: Vec<Snowflake> = match &attachments {
                Some(listed) => before
                    .attachments
                    .iter()
                    .map(|a| a.id)
                    .filter(|id| listed.iter().any(|r| r.id == *id))
                    .collect(),
                None => before.attachments.iter().map(|a| a.id).collect(),
            };
            if keep.len() + files.len() > 10 {
                return Err(ChatError::invalid("attachments", "Must be 10 or fewer in length."));
            }
            removed = before
                .attachments
                .iter()
                .map(|a| a.id)
                .filter(|id| !keep.contains(id))
                .collect();
            patch.attachments = Some((keep, files));
        }
        let after = match self
            .store
            .message_edit(channel_id, id, patch, self.clock.now_ms())
            .await
        {
            Err(StoreError::NotFound) => return Err(ChatError::UnknownMessage),
            other => other?,
        };
        if after.content.trim().is_empty()
            && after.embeds.as_array().is_none_or(Vec::is_empty)
            && after.attachments.is_empty()
        {
            return Err(ChatError::EmptyMessage);
        }
        self.publish_message("MESSAGE_UPDATE", &after, &access).await?;
        if after.content != before.content {
            self.request_previews(&access, &after);
        }
        Ok((after, access.channel.guild_id, removed))
    }

    /// Deletes one message: the author, or anyone with MANAGE_MESSAGES. Returns the ids of removed files.
    pub async fn delete(
        &self,
        actor: &User,
        channel_id: Snowflake,
        id: Snowflake,
    ) -> Result<Vec<Snowflake>, ChatError> {
        let access = self.access(actor, channel_id).await?;
        let message = self
            .store
            .message_get(channel_id, id, actor.id)
            .await?
            .ok_or(ChatError::UnknownMessage)?;
        if message.author.id != actor.id {
            access.require(bits::MANAGE_MESSAGES)?;
        }
        let deleted = self.store.messages_delete(channel_id, vec![id]).await?;
        let Some((_, files)) = deleted.into_iter().next() else {
            return Err(ChatError::UnknownMessage);
        };
        let data = wire::MessageDelete {
            id: wire::Id(id),
            channel_id: wire::Id(channel_id),
            guild_id: access.channel.guild_id.map(wire::Id),
        };
        self.hub.publish(Event::new(
            "MESSAGE_DELETE",
            &data,
            access.audience(),
            access.intent(intents::GUILD_MESSAGES, intents::DIRECT_MESSAGES),
        ));
        Ok(files)
    }

    /// Deletes 2–100 messages at once (MANAGE_MESSAGES). Returns the ids of removed files.
    pub async fn bulk_delete(
        &self,
        actor: &User,
        channel_id: Snowflake,
        ids: Vec<Snowflake>,
    ) -> Result<Vec<Snowflake>, ChatError> {
        let access = self.access(actor, channel_id).await?;
        access.require(bits::MANAGE_MESSAGES)?;
        if !(2..=100).contains(&ids.len()) {
            return Err(ChatError::invalid("messages", "Must be between 2 and 100 in length."));
        }
        let deleted = self.store.messages_delete(channel_id, ids).await?;
        let data = wire::MessageDeleteBulk {
            ids: deleted.iter().map(|(id, _)| wire::Id(*id)).collect(),
            channel_id: wire::Id(channel_id),
            guild_id: access.channel.guild_id.map(wire::Id),
        };
        self.hub.publish(Event::new(
            "MESSAGE_DELETE_BULK",
            &data,
            access.audience(),
            access.intent(intents::GUILD_MESSAGES, intents::DIRECT_MESSAGES),
        ));
        Ok(deleted.into_iter().flat_map(|(_, files)| files).collect())
    }
}

/// A client's embeds, checked as Discord checks them.
fn check_embeds(embeds: Option<&[Value]>) -> Result<Vec<wire::Embed>, ChatError> {
    wire::parse_embeds(embeds.unwrap_or_default()).map_err(|problem| ChatError::invalid(&problem.path, problem.message))
}

/// A client's embeds, checked as Discord checks them, in stored form.
pub(super) fn checked_embeds(embeds: Option<&[Value]>) -> Result<Value, ChatError> {
    Ok(stored_embeds(&check_embeds(embeds)?))
}

fn stored_embeds(embeds: &[wire::Embed]) -> Value {
    serde_json::to_value(embeds).unwrap_or_else(|_| Value::Array(Vec::new()))
}

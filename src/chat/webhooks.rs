//! Incoming webhooks: who may make, see, change and delete them (MANAGE_WEBHOOKS in the channel), and posting
//! through one with its secret token — as Discord does, plus the Slack- and GitHub-shaped bodies many tools
//! only speak (`webhook_formats.rs` turns those into a message).
//!
//! A webhook's token is 32 random bytes shown once, at creation; only its SHA-256 is kept. Its messages carry
//! `webhook_id` and the name they were posted under; they stay when the webhook is deleted.

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::mentions::{self, AllowedMentions};
use super::messages::SUPPRESS_EMBEDS;
use super::{Access, Chat, ChatError};
use crate::perms::bits;
use crate::store::{Attachment, Message, MessageExtra, NewMessage, Snowflake, User, Webhook, WebhookPatch};

/// Webhooks one channel may have.
const MAX_PER_CHANNEL: usize = 15;

/// `POST /channels/{id}/webhooks` and `PATCH /webhooks/{id}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WebhookInput {
    /// 1–80 characters.
    #[serde(default)]
    pub name: Option<String>,
    /// A data URI, or `null` to remove it.
    #[serde(default, deserialize_with = "super::profile::present")]
    pub avatar: Option<Option<String>>,
    /// Move it to another channel (with a bot or user token only).
    #[serde(default, deserialize_with = "super::ids::deserialize_opt")]
    pub channel_id: Option<Snowflake>,
}

/// `POST /webhooks/{id}/{token}`: a message, and the name it is posted under.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExecuteInput {
    /// Text.
    #[serde(default)]
    pub content: Option<String>,
    /// Posted under this name instead of the webhook's.
    #[serde(default)]
    pub username: Option<String>,
    /// Posted with this picture instead of the webhook's: accepted, not shown yet (spot would have to fetch it
    /// through the safe client and keep a copy); the webhook's own avatar is shown.
    #[serde(default)]
    pub avatar_url: Option<String>,
    /// Text-to-speech.
    #[serde(default, deserialize_with = "super::ids::null_as_default")]
    pub tts: bool,
    /// Rich embeds (up to 10).
    #[serde(default)]
    pub embeds: Option<Vec<Value>>,
    /// Mention filter (by default a webhook may mention anyone, `@everyone` included, as on Discord).
    #[serde(default)]
    pub allowed_mentions: Option<AllowedMentions>,
    /// Only SUPPRESS_EMBEDS is honoured.
    #[serde(default)]
    pub flags: Option<i64>,
    /// Files, stored by the HTTP layer first.
    #[serde(skip)]
    pub files: Vec<Attachment>,
}

/// The token's hash, as stored.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn check_name(name: &str) -> Result<String, ChatError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(ChatError::invalid("name", "Must be between 1 and 80 in length."));
    }
    let lower = name.to_lowercase();
    if lower.contains("clyde") || lower.contains("discord") {
        return Err(ChatError::invalid(
            "name",
            "Username cannot contain \"clyde\" or \"discord\"",
        ));
    }
    Ok(name.to_owned())
}

impl Chat {
    /// Access to a channel for managing its webhooks: a space channel that holds messages, with MANAGE_WEBHOOKS.
    async fn webhook_access(&self, actor: &User, channel_id: Snowflake) -> Result<Access, ChatError> {
        let access = self.access(actor, channel_id).await?;
        if access.channel.guild_id.is_none() || !access.channel.kind.is_textual() || access.channel.kind.is_thread() {
            return Err(ChatError::invalid(
                "channel_id",
                "Webhooks live in a space's text channels",
            ));
        }
        access.require(bits::MANAGE_WEBHOOKS)?;
        Ok(access)
    }

    /// `POST /channels/{id}/webhooks`: a new webhook and its token (the only time the token is shown).
    pub async fn create_webhook(
        &self,
        actor: &User,
        channel_id: Snowflake,
        input: WebhookInput,
        avatars_dir: &std::path::Path,
    ) -> Result<(Webhook, String), ChatError> {
        let access = self.webhook_access(actor, channel_id).await?;
        let name = check_name(input.name.as_deref().unwrap_or(""))?;
        let guild_id = access.channel.guild_id.unwrap_or_default();
        if self.store.webhooks_list(guild_id, Some(channel_id)).await?.len() >= MAX_PER_CHANNEL {
            return Err(ChatError::TooManyWebhooks);
        }
        let token = crate::crypto::random_token();
        let hook = self
            .store
            .webhook_create(
                guild_id,
                channel_id,
                name,
                actor.id,
                token_hash(&token),
                self.clock.now_ms(),
            )
            .await?;
        let hook = match input.avatar.flatten() {
            Some(uri) => self.set_webhook_avatar(hook, &uri, avatars_dir).await?,
            None => hook,
        };
        Ok((hook, token))
    }

    async fn set_webhook_avatar(
        &self,
        hook: Webhook,
        uri: &str,
        avatars_dir: &std::path::Path,
    ) -> Result<Webhook, ChatError> {
        let hash = super::profile::store_image(uri, "avatar", &avatars_dir.join(hook.id.to_string())).await?;
        Ok(self
            .store
            .webhook_update(
                hook.id,
                WebhookPatch {
                    avatar: Some(Some(hash)),
                    ..WebhookPatch::default()
                },
            )
            .await?)
    }

    /// `GET /channels/{id}/webhooks` or, with `channel_id` None, `GET /guilds/{id}/webhooks`.
    pub async fn webhooks(
        &self,
        actor: &User,
        guild_id: Snowflake,
        channel_id: Option<Snowflake>,
    ) -> Result<Vec<Webhook>, ChatError> {
        match channel_id {
            Some(channel) => {
                self.webhook_access(actor, channel).await?;
            }
            None => {
                let context = self
                    .store
                    .guild_permission_context(guild_id, actor.id)
                    .await?
                    .ok_or(ChatError::UnknownGuild)?;
                if !crate::perms::has(crate::perms::compute(&context), bits::MANAGE_WEBHOOKS) {
                    return Err(ChatError::MissingPermissions);
                }
            }
        }
        Ok(self.store.webhooks_list(guild_id, channel_id).await?)
    }

    /// A webhook by id, for someone who may manage its channel's webhooks.
    pub async fn webhook(&self, actor: &User, id: Snowflake) -> Result<Webhook, ChatError> {
        let hook = self.store.webhook_get(id).await?.ok_or(ChatError::UnknownWebhook)?;
        self.webhook_access(actor, hook.channel_id).await?;
        Ok(hook)
    }

    /// A webhook by id and token (no account needed: the token is the credential).
    pub async fn webhook_with_token(&self, id: Snowflake, token: &str) -> Result<Webhook, ChatError> {
        let hook = self.store.webhook_get(id).await?.ok_or(ChatError::UnknownWebhook)?;
        if !crate::crypto::constant_time_eq(&hook.token_hash, &token_hash(token)) {
            return Err(ChatError::InvalidWebhookToken);
        }
        Ok(hook)
    }

    /// `PATCH /webhooks/{id}` (`actor` Some, may move it) or `PATCH /webhooks/{id}/{token}` (`actor` None).
    pub async fn update_webhook(
        &self,
        actor: Option<&User>,
        hook: Webhook,
        input: WebhookInput,
        avatars_dir: &std::path::Path,
    ) -> Result<Webhook, ChatError> {
        let name = input.name.as_deref().map(check_name).transpose()?;
        let channel_id = match (input.channel_id, actor) {
            (Some(channel), Some(actor)) if channel != hook.channel_id => {
                let access = self.webhook_access(actor, channel).await?;
                if access.channel.guild_id != Some(hook.guild_id) {
                    return Err(ChatError::invalid("channel_id", "Must be a channel of the same space"));
                }
                Some(channel)
            }
            (Some(_), None) => return Err(ChatError::invalid("channel_id", "Moving a webhook needs an account")),
            _ => None,
        };
        let mut hook = self
            .store
            .webhook_update(
                hook.id,
                WebhookPatch {
                    name,
                    avatar: matches!(input.avatar, Some(None)).then_some(None),
                    channel_id,
                },
            )
            .await?;
        if let Some(Some(uri)) = input.avatar {
            hook = self.set_webhook_avatar(hook, &uri, avatars_dir).await?;
        }
        Ok(hook)
    }

    /// Deletes a webhook (its messages stay).
    pub async fn delete_webhook(&self, hook: &Webhook) -> Result<(), ChatError> {
        self.store.webhook_delete(hook.id).await?;
        Ok(())
    }

    /// `POST /webhooks/{id}/{token}`: posts as the webhook (into `thread_id`, a thread of its channel, if
    /// given). Returns the message and its space.
    pub async fn execute_webhook(
        &self,
        hook: &Webhook,
        thread_id: Option<Snowflake>,
        input: ExecuteInput,
    ) -> Result<(Message, Option<Snowflake>), ChatError> {
        let channel_id = thread_id.unwrap_or(hook.channel_id);
        let channel = self
            .store
            .channel_get(channel_id)
            .await?
            .ok_or(ChatError::UnknownChannel)?;
        if thread_id.is_some() && (!channel.kind.is_thread() || channel.parent_id != Some(hook.channel_id)) {
            return Err(ChatError::invalid(
                "thread_id",
                "Must be a thread of the webhook's channel",
            ));
        }
        if channel.archived && channel.locked {
            return Err(ChatError::ThreadArchived);
        }
        let username = input.username.as_deref().map(check_name).transpose()?;
        let content = input.content.clone().unwrap_or_default();
        self.check_content(&content)?;
        let embeds = super::messages::checked_embeds(input.embeds.as_deref())?;
        if content.trim().is_empty() && embeds.as_array().is_none_or(Vec::is_empty) && input.files.is_empty() {
            return Err(ChatError::EmptyMessage);
        }
        let found = mentions::parse(&content, input.allowed_mentions.as_ref(), true);
        let new = NewMessage {
            channel_id,
            author_id: hook.id,
            content,
            kind: 0,
            flags: input.flags.unwrap_or(0) & SUPPRESS_EMBEDS,
            tts: input.tts,
            nonce: None,
            mention_everyone: found.everyone,
            mentions: found.users,
            mention_roles: found.roles,
            embeds,
            reference: None,
            attachments: input.files,
            extra: MessageExtra {
                webhook_id: Some(hook.id),
                author_name: username,
                author_avatar: hook.avatar.clone(),
                ..MessageExtra::default()
            },
        };
        let (message, _) = self.store.message_create(new, None).await?;
        let access = Access {
            channel,
            perms: bits::ALL,
            member: None,
            recipients: Vec::new(),
        };
        self.publish_message("MESSAGE_CREATE", &message, &access).await?;
        self.request_previews(&access, &message);
        Ok((message, Some(hook.guild_id)))
    }
}

impl Chat {
    /// A message this webhook posted (`/webhooks/{id}/{token}/messages/{message_id}`).
    pub async fn webhook_message(&self, hook: &Webhook, message_id: Snowflake) -> Result<Message, ChatError> {
        let channel = self
            .store
            .message_channel(message_id)
            .await?
            .ok_or(ChatError::UnknownMessage)?;
        let message = self
            .store
            .message_get(channel, message_id, hook.id)
            .await?
            .filter(|m| m.extra.webhook_id == Some(hook.id))
            .ok_or(ChatError::UnknownMessage)?;
        Ok(message)
    }

    /// Edits a message this webhook posted: its text and embeds.
    pub async fn edit_webhook_message(
        &self,
        hook: &Webhook,
        message_id: Snowflake,
        input: ExecuteInput,
    ) -> Result<Message, ChatError> {
        let before = self.webhook_message(hook, message_id).await?;
        let mut patch = crate::store::MessagePatch::default();
        if let Some(content) = input.content {
            self.check_content(&content)?;
            let found = mentions::parse(&content, input.allowed_mentions.as_ref(), true);
            patch.content = Some((content, found.users, found.roles, found.everyone));
        }
        if let Some(embeds) = input.embeds.as_deref() {
            patch.embeds = Some(super::messages::checked_embeds(Some(embeds))?);
        }
        let message = self
            .store
            .message_edit(before.channel_id, message_id, patch, self.clock.now_ms())
            .await?;
        let access = self.webhook_post_access(message.channel_id).await?;
        self.publish_message("MESSAGE_UPDATE", &message, &access).await?;
        Ok(message)
    }

    /// Deletes a message this webhook posted.
    pub async fn delete_webhook_message(&self, hook: &Webhook, message_id: Snowflake) -> Result<(), ChatError> {
        let message = self.webhook_message(hook, message_id).await?;
        self.store.messages_delete(message.channel_id, vec![message_id]).await?;
        let access = self.webhook_post_access(message.channel_id).await?;
        let data = crate::wire::MessageDelete {
            id: crate::wire::Id(message_id),
            channel_id: crate::wire::Id(message.channel_id),
            guild_id: access.channel.guild_id.map(crate::wire::Id),
        };
        self.hub.publish(crate::hub::Event::new(
            "MESSAGE_DELETE",
            &data,
            access.audience(),
            crate::hub::intents::GUILD_MESSAGES,
        ));
        Ok(())
    }

    async fn webhook_post_access(&self, channel_id: Snowflake) -> Result<Access, ChatError> {
        let channel = self
            .store
            .channel_get(channel_id)
            .await?
            .ok_or(ChatError::UnknownChannel)?;
        Ok(Access {
            channel,
            perms: bits::ALL,
            member: None,
            recipients: Vec::new(),
        })
    }
}

//! Channels: create, update (including thread archive/lock) and delete, by members with MANAGE_CHANNELS
//! (threads: their owner or MANAGE_THREADS).

use serde::Deserialize;
use serde_json::Value;

use super::{Chat, ChatError};
use crate::hub::{Audience, Event, intents};
use crate::perms::{self, Overwrite, bits};
use crate::store::{Channel, ChannelKind, ChannelPatch, NewChannel, Snowflake, User};
use crate::wire;

/// The body of "create channel" and "modify channel" (fields Discord accepts; absent means unchanged).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChannelInput {
    /// Name (1–100 characters).
    pub name: Option<String>,
    /// Discord type: 0 text, 2 voice, 4 category (create only).
    #[serde(rename = "type")]
    pub kind: Option<i64>,
    /// Topic (`null` clears it).
    #[serde(default, deserialize_with = "double_option")]
    pub topic: Option<Option<String>>,
    /// Sort position.
    pub position: Option<i64>,
    /// Category (`null` clears it).
    #[serde(default, deserialize_with = "double_option_id")]
    pub parent_id: Option<Option<Snowflake>>,
    /// Slow mode seconds (0–21600).
    pub rate_limit_per_user: Option<i64>,
    /// Age-restricted.
    pub nsfw: Option<bool>,
    /// Threads: archived.
    pub archived: Option<bool>,
    /// Threads: locked.
    pub locked: Option<bool>,
    /// Threads: auto-archive minutes.
    pub auto_archive_duration: Option<i64>,
    /// Overwrites (replaces all).
    pub permission_overwrites: Option<Vec<OverwriteInput>>,
}

/// An overwrite as sent by clients.
#[derive(Debug, Clone, Deserialize)]
pub struct OverwriteInput {
    /// Role or user id.
    #[serde(deserialize_with = "super::ids::deserialize")]
    pub id: Snowflake,
    /// 0 role, 1 member.
    #[serde(rename = "type")]
    pub kind: i64,
    /// Allowed bits as a decimal string or number.
    pub allow: Option<Value>,
    /// Denied bits as a decimal string or number.
    pub deny: Option<Value>,
}

fn double_option<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(Option::<String>::deserialize(d)?))
}

fn double_option_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<Snowflake>>, D::Error> {
    Ok(Some(super::ids::deserialize_opt(d)?))
}

fn bits_of(value: &Option<Value>, field: &str) -> Result<u64, ChatError> {
    match value {
        None | Some(Value::Null) => Ok(0),
        Some(Value::String(s)) => s
            .parse()
            .map_err(|_| ChatError::invalid(field, "Must be a permission bitfield.")),
        Some(Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| ChatError::invalid(field, "Must be a permission bitfield.")),
        Some(_) => Err(ChatError::invalid(field, "Must be a permission bitfield.")),
    }
}

fn overwrites(input: &[OverwriteInput]) -> Result<Vec<Overwrite>, ChatError> {
    input
        .iter()
        .enumerate()
        .map(|(i, o)| {
            if o.kind != 0 && o.kind != 1 {
                return Err(ChatError::invalid(
                    &format!("permission_overwrites.{i}.type"),
                    "Must be 0 or 1.",
                ));
            }
            Ok(Overwrite {
                target_id: o.id,
                kind: o.kind,
                allow: bits_of(&o.allow, "permission_overwrites.allow")? & perms::bits::ALL,
                deny: bits_of(&o.deny, "permission_overwrites.deny")? & perms::bits::ALL,
            })
        })
        .collect()
}

fn check_name(name: &str) -> Result<String, ChatError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ChatError::invalid("name", "Must be between 1 and 100 in length."));
    }
    Ok(name.to_owned())
}

/// The dispatch names for a channel or a thread.
fn event_names(channel: &Channel) -> (&'static str, &'static str) {
    if channel.kind.is_thread() {
        ("THREAD_UPDATE", "THREAD_DELETE")
    } else {
        ("CHANNEL_UPDATE", "CHANNEL_DELETE")
    }
}

impl Chat {
    /// Creates a channel in the guild (MANAGE_CHANNELS).
    pub async fn create_channel(
        &self,
        actor: &User,
        guild_id: Snowflake,
        input: ChannelInput,
    ) -> Result<Channel, ChatError> {
        let ctx = self
            .store
            .guild_permission_context(guild_id, actor.id)
            .await?
            .ok_or(ChatError::UnknownGuild)?;
        if !perms::has(perms::guild_level(&ctx), bits::MANAGE_CHANNELS) {
            return Err(ChatError::MissingPermissions);
        }
        let name = check_name(input.name.as_deref().unwrap_or(""))?;
        let kind = input.kind.unwrap_or(0);
        if ![0, 2, 4].contains(&kind) {
            return Err(ChatError::invalid(
                "type",
                "Must be 0 (text), 2 (voice) or 4 (category).",
            ));
        }
        let parent_id = input.parent_id.flatten();
        if let Some(parent) = parent_id {
            let category = self.store.channel_get(parent).await?;
            if category.is_none_or(|c| c.kind != ChannelKind::Category || c.guild_id != Some(guild_id)) || kind == 4 {
                return Err(ChatError::invalid("parent_id", "Must be a category of this guild."));
            }
        }
        let new = NewChannel {
            guild_id: Some(guild_id),
            kind,
            name,
            parent_id,
            topic: input.topic.flatten(),
            position: input.position,
            rate_limit_per_user: input.rate_limit_per_user.unwrap_or(0).clamp(0, 21600),
            nsfw: input.nsfw.unwrap_or(false),
            overwrites: overwrites(input.permission_overwrites.as_deref().unwrap_or(&[]))?,
            ..NewChannel::default()
        };
        let channel = self.store.channel_create(new, self.clock.now_ms()).await?;
        let event = Event::new(
            "CHANNEL_CREATE",
            &wire::channel(&channel),
            Audience::Channel(channel.id),
            intents::GUILDS,
        );
        self.hub.publish(event.changing_permissions());
        Ok(channel)
    }

    /// Modifies a channel or thread.
    pub async fn update_channel(
        &self,
        actor: &User,
        channel_id: Snowflake,
        input: ChannelInput,
    ) -> Result<Channel, ChatError> {
        let access = self.access(actor, channel_id).await?;
        let is_thread = access.channel.kind.is_thread();
        if is_thread {
            let owner = access.channel.owner_id == Some(actor.id);
            let only_unarchive = input.archived == Some(false) && !access.channel.locked;
            if !(owner || only_unarchive) || input.locked.is_some() {
                access.require(bits::MANAGE_THREADS)?;
            }
        } else {
            access.require(bits::MANAGE_CHANNELS)?;
            if input.permission_overwrites.is_some() {
                access.require(bits::MANAGE_ROLES)?;
            }
        }
        if let Some(duration) = input.auto_archive_duration
            && ![60, 1440, 4320, 10080].contains(&duration)
        {
            return Err(ChatError::invalid(
                "auto_archive_duration",
                "Must be one of 60, 1440, 4320, 10080.",
            ));
        }
        if !is_thread && let Some(Some(parent)) = input.parent_id {
            // The same rule as at creation: a category of this guild (and a category has no parent).
            let category = self.store.channel_get(parent).await?;
            let here = &access.channel;
            let valid = category.is_some_and(|c| c.kind == ChannelKind::Category && c.guild_id == here.guild_id);
            if !valid || here.kind == ChannelKind::Category {
                return Err(ChatError::invalid("parent_id", "Must be a category of this guild."));
            }
        }
        let patch = ChannelPatch {
            name: input.name.as_deref().map(check_name).transpose()?,
            topic: input.topic.clone(),
            position: input.position,
            parent_id: if is_thread { None } else { input.parent_id },
            rate_limit_per_user: input.rate_limit_per_user.map(|r| r.clamp(0, 21600)),
            nsfw: input.nsfw,
            archived: input.archived.filter(|_| is_thread),
            locked: input.locked.filter(|_| is_thread),
            auto_archive_duration: input.auto_archive_duration,
            overwrites: if is_thread {
                None
            } else {
                input.permission_overwrites.as_deref().map(overwrites).transpose()?
            },
        };
        let channel = self
            .store
            .channel_update(channel_id, patch, self.clock.now_ms())
            .await?;
        let (update, _) = event_names(&channel);
        let event = Event::new(
            update,
            &wire::channel(&channel),
            Audience::Channel(channel.id),
            intents::GUILDS,
        );
        self.hub.publish(event.changing_permissions());
        Ok(channel)
    }

    /// Deletes a channel (MANAGE_CHANNELS) or thread (MANAGE_THREADS).
    pub async fn delete_channel(&self, actor: &User, channel_id: Snowflake) -> Result<Channel, ChatError> {
        let access = self.access(actor, channel_id).await?;
        access.require(if access.channel.kind.is_thread() {
            bits::MANAGE_THREADS
        } else {
            bits::MANAGE_CHANNELS
        })?;
        let (channel, threads) = self.store.channel_delete(channel_id).await?;
        // Threads go first, while the sessions still see them; the channel's own event then refreshes visibility.
        for thread in &threads {
            let data = wire::channel(thread);
            self.hub.publish(Event::new(
                "THREAD_DELETE",
                &data,
                Audience::Channel(thread.id),
                intents::GUILDS,
            ));
        }
        let (_, delete) = event_names(&channel);
        let event = Event::new(
            delete,
            &wire::channel(&channel),
            Audience::Channel(channel.id),
            intents::GUILDS,
        );
        self.hub.publish(event.changing_permissions());
        Ok(channel)
    }
}

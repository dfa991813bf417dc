//! Chat rules: channels, threads, messages, reactions, pins, typing and search — who may do what, what is
//! valid, what is stored, and which event is published afterwards.
//!
//! [`Chat`] never sees HTTP or the gateway wire: handlers pass the acting [`User`] and typed inputs, and get
//! store values or a [`ChatError`] back. Every change is stored first and published to the [`Hub`] second
//! (persist, then publish). Permission checks use [`crate::perms::compute`], the same calculation the gateway
//! uses to filter dispatches.

mod activity;
pub mod attachments;
mod channels;
pub mod commands;
mod dms;
mod error;
pub mod expressions;
mod guild;
pub mod ids;
pub mod interactions;
pub mod links;
pub mod mentions;
mod messages;
pub mod notifications;
pub mod previews;
pub mod profile;
mod reactions;
mod roles;
mod threads;
pub mod webhook_formats;
pub mod webhooks;

use crate::clock::SharedClock;
use crate::hub::{Audience, Hub};
use crate::perms;
use crate::store::{Channel, ChannelKind, Member, Snowflake, Store, User};

pub use channels::{ChannelInput, OverwriteInput};
pub use dms::{GroupInput, OpenInput};
pub use error::ChatError;
pub use guild::GuildView;
pub use messages::{EditInput, MessageInput, MessageReference};
pub use roles::{MemberInput, RoleInput};
pub use threads::ThreadInput;

/// Limits from the config.
#[derive(Debug, Clone)]
pub struct ChatLimits {
    /// Longest message content, in characters.
    pub max_message_length: usize,
    /// Most custom emoji in a space.
    pub max_emojis: usize,
    /// Most stickers in a space.
    pub max_stickers: usize,
    /// Most soundboard sounds in a space.
    pub max_sounds: usize,
}

impl Default for ChatLimits {
    fn default() -> Self {
        Self {
            max_message_length: 2000,
            max_emojis: 200,
            max_stickers: 60,
            max_sounds: 48,
        }
    }
}

/// A channel the actor can see, with their permissions in it.
#[derive(Debug, Clone)]
pub struct Access {
    /// The channel.
    pub channel: Channel,
    /// The actor's permission bits in it.
    pub perms: u64,
    /// The actor's membership (for rendering their messages without another lookup); `None` in a DM.
    pub member: Option<Member>,
    /// DMs and group DMs: everyone in it (the actor included); empty for a guild channel.
    pub recipients: Vec<Snowflake>,
}

impl Access {
    /// Who receives the channel's events: those who can view a guild channel, or a DM's recipients.
    pub fn audience(&self) -> Audience {
        if self.channel.kind.is_private() {
            Audience::Users(self.recipients.clone())
        } else {
            Audience::Channel(self.channel.id)
        }
    }

    /// The intent an event needs: `guild` in a guild channel, `direct` in a DM or group DM.
    pub fn intent(&self, guild: u64, direct: u64) -> u64 {
        if self.channel.kind.is_private() { direct } else { guild }
    }

    /// Fails with [`ChatError::MissingPermissions`] unless every bit of `needed` is granted.
    pub fn require(&self, needed: u64) -> Result<(), ChatError> {
        if perms::has(self.perms, needed) {
            Ok(())
        } else {
            Err(ChatError::MissingPermissions)
        }
    }
}

/// The chat rules. Cheap to clone.
#[derive(Clone)]
pub struct Chat {
    store: Store,
    hub: Hub,
    clock: SharedClock,
    limits: ChatLimits,
    links: Option<previews::LinkQueue>,
    urls: crate::wire::Urls,
    /// Interactions in flight (their tokens, deadlines and ephemeral answers).
    interactions: interactions::Registry,
}

impl Chat {
    /// Chat over `store`, publishing to `hub`.
    pub fn new(
        store: Store,
        hub: Hub,
        clock: SharedClock,
        limits: ChatLimits,
        links: Option<previews::LinkQueue>,
        urls: crate::wire::Urls,
    ) -> Self {
        Self {
            store,
            hub,
            clock,
            limits,
            links,
            urls,
            interactions: interactions::Registry::default(),
        }
    }

    /// The URLs wire objects carry (absolute; attachments signed).
    pub fn urls(&self) -> &crate::wire::Urls {
        &self.urls
    }

    /// The channel and the actor's permissions in it. Unknown channels are [`ChatError::UnknownChannel`];
    /// channels the actor cannot view are [`ChatError::MissingAccess`].
    pub async fn access(&self, actor: &User, channel_id: Snowflake) -> Result<Access, ChatError> {
        let (channel, context) = self
            .store
            .permission_context(actor.id, channel_id)
            .await?
            .ok_or(ChatError::UnknownChannel)?;
        if channel.kind.is_private() {
            return self.private_access(actor, channel).await;
        }
        let (ctx, member) = context.ok_or(ChatError::UnknownChannel)?;
        let perms = perms::compute(&ctx);
        if !perms::has(perms, perms::bits::VIEW_CHANNEL) {
            return Err(ChatError::MissingAccess);
        }
        // Private threads are visible to their members and to thread managers only.
        if channel.kind == ChannelKind::PrivateThread
            && !perms::has(perms, perms::bits::MANAGE_THREADS)
            && !self.store.thread_is_member(channel.id, actor.id).await?
        {
            return Err(ChatError::MissingAccess);
        }
        Ok(Access {
            channel,
            perms,
            member: Some(member),
            recipients: Vec::new(),
        })
    }

    /// The ids of every channel (and active thread) of the guild the actor can view.
    pub async fn visible_channels(&self, actor: &User, guild_id: Snowflake) -> Result<Vec<Snowflake>, ChatError> {
        let mut channels = self.store.channels_of_guild(guild_id).await?;
        channels.extend(self.store.active_threads(guild_id).await?);
        let Some(base) = self.store.guild_permission_context(guild_id, actor.id).await? else {
            return Ok(Vec::new());
        };
        let joined = self.store.private_threads_joined(guild_id, actor.id).await?;
        let by_id: std::collections::HashMap<Snowflake, &Channel> = channels.iter().map(|c| (c.id, c)).collect();
        let perms_in = |c: &Channel| {
            let source = match (c.kind.is_thread(), c.parent_id) {
                (true, Some(parent)) => by_id.get(&parent).copied(),
                _ => Some(c),
            };
            source.map_or(0, |s| {
                perms::compute(&perms::Context {
                    overwrites: s.overwrites.clone(),
                    ..base.clone()
                })
            })
        };
        let visible = channels
            .iter()
            .filter(|c| {
                let p = perms_in(c);
                perms::has(p, perms::bits::VIEW_CHANNEL)
                    && (c.kind != ChannelKind::PrivateThread
                        || perms::has(p, perms::bits::MANAGE_THREADS)
                        || joined.contains(&c.id))
            })
            .map(|c| c.id)
            .collect();
        Ok(visible)
    }
}

//! Threads: started from a message or on their own, joined and left, listed.

use serde::Deserialize;

use super::{Access, Chat, ChatError};
use crate::hub::{Audience, Event, intents};
use crate::perms::bits;
use crate::store::{Channel, ChannelKind, NewChannel, Snowflake, StoreError, User};
use crate::wire;

/// The body of "start thread".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ThreadInput {
    /// Thread name (1–100 characters).
    pub name: String,
    /// Minutes of inactivity before archiving: 60, 1440, 4320 or 10080.
    pub auto_archive_duration: Option<i64>,
    /// 11 public or 12 private (only without a message; Discord's default there is 12).
    #[serde(rename = "type")]
    pub kind: Option<i64>,
    /// Slow mode seconds.
    pub rate_limit_per_user: Option<i64>,
}

impl Chat {
    /// Starts a public thread from a message; the thread takes the message's id.
    pub async fn start_thread_from_message(
        &self,
        actor: &User,
        channel_id: Snowflake,
        message_id: Snowflake,
        input: ThreadInput,
    ) -> Result<Channel, ChatError> {
        let access = self.thread_parent(actor, channel_id).await?;
        access.require(bits::CREATE_PUBLIC_THREADS | bits::READ_MESSAGE_HISTORY)?;
        let message = self
            .store
            .message_get(channel_id, message_id, actor.id)
            .await?
            .ok_or(ChatError::UnknownMessage)?;
        if message.thread.is_some() {
            return Err(ChatError::invalid(
                "message_id",
                "A thread has already been created for this message",
            ));
        }
        let thread = self
            .create_thread(actor, &access, Some(message_id), ChannelKind::PublicThread, input)
            .await?;
        self.store.message_set_thread(channel_id, message_id, thread.id).await?;
        if let Some(updated) = self.store.message_get(channel_id, message_id, actor.id).await? {
            self.publish_message("MESSAGE_UPDATE", &updated, &access).await?;
        }
        Ok(thread)
    }

    /// Starts a thread without a message (private unless `type` 11 is asked for).
    pub async fn start_thread(
        &self,
        actor: &User,
        channel_id: Snowflake,
        input: ThreadInput,
    ) -> Result<Channel, ChatError> {
        let access = self.thread_parent(actor, channel_id).await?;
        let kind = match input.kind.unwrap_or(12) {
            11 => ChannelKind::PublicThread,
            12 => ChannelKind::PrivateThread,
            _ => {
                return Err(ChatError::invalid(
                    "type",
                    "Must be 11 (public thread) or 12 (private thread).",
                ));
            }
        };
        access.require(if kind == ChannelKind::PublicThread {
            bits::CREATE_PUBLIC_THREADS
        } else {
            bits::CREATE_PRIVATE_THREADS
        })?;
        self.create_thread(actor, &access, None, kind, input).await
    }

    async fn create_thread(
        &self,
        actor: &User,
        parent: &Access,
        id: Option<Snowflake>,
        kind: ChannelKind,
        input: ThreadInput,
    ) -> Result<Channel, ChatError> {
        let name = input.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(ChatError::invalid("name", "Must be between 1 and 100 in length."));
        }
        let duration = input.auto_archive_duration.unwrap_or(1440);
        if ![60, 1440, 4320, 10080].contains(&duration) {
            return Err(ChatError::invalid(
                "auto_archive_duration",
                "Must be one of 60, 1440, 4320, 10080.",
            ));
        }
        let now = self.clock.now_ms();
        let new = NewChannel {
            id,
            guild_id: parent.channel.guild_id,
            kind: kind.code(),
            name,
            parent_id: Some(parent.channel.id),
            owner_id: Some(actor.id),
            auto_archive_duration: Some(duration),
            rate_limit_per_user: input.rate_limit_per_user.unwrap_or(0).clamp(0, 21600),
            ..NewChannel::default()
        };
        let thread = match self.store.channel_create(new, now).await {
            Err(StoreError::Conflict(_)) => {
                return Err(ChatError::invalid("message_id", "A thread already exists here"));
            }
            other => other?,
        };
        self.store.thread_member_add(thread.id, actor.id, now).await?;
        let data = wire::ThreadCreate {
            thread: wire::Channel::from(&thread),
            newly_created: true,
            member: thread_member(thread.id, actor.id, now),
        };
        self.hub.publish(
            Event::new("THREAD_CREATE", &data, Audience::Channel(thread.id), intents::GUILDS).changing_permissions(),
        );
        Ok(thread)
    }

    /// Joins (or, for another user, adds to) a thread.
    pub async fn join_thread(&self, actor: &User, thread_id: Snowflake, user_id: Snowflake) -> Result<(), ChatError> {
        let access = self.thread_access(actor, thread_id).await?;
        if user_id != actor.id {
            access.require(bits::SEND_MESSAGES_IN_THREADS)?;
        }
        if access.channel.archived {
            return Err(ChatError::ThreadArchived);
        }
        let now = self.clock.now_ms();
        if self.store.thread_member_add(thread_id, user_id, now).await? {
            self.publish_thread_members(&access.channel, vec![thread_member(thread_id, user_id, now)], vec![])
                .await?;
        }
        Ok(())
    }

    /// Leaves (or, with MANAGE_THREADS, removes someone from) a thread.
    pub async fn leave_thread(&self, actor: &User, thread_id: Snowflake, user_id: Snowflake) -> Result<(), ChatError> {
        let access = self.thread_access(actor, thread_id).await?;
        if user_id != actor.id {
            access.require(bits::MANAGE_THREADS)?;
        }
        if self.store.thread_member_remove(thread_id, user_id).await? {
            self.publish_thread_members(&access.channel, vec![], vec![wire::Id(user_id)])
                .await?;
        }
        Ok(())
    }

    /// A thread's members.
    pub async fn thread_members(
        &self,
        actor: &User,
        thread_id: Snowflake,
    ) -> Result<Vec<wire::ThreadMember>, ChatError> {
        self.thread_access(actor, thread_id).await?;
        let members = self.store.thread_members(thread_id).await?;
        Ok(members
            .into_iter()
            .map(|(user, joined)| thread_member(thread_id, user, joined))
            .collect())
    }

    /// Archived public threads of a channel, newest first.
    pub async fn archived_threads(
        &self,
        actor: &User,
        channel_id: Snowflake,
        limit: i64,
    ) -> Result<Vec<Channel>, ChatError> {
        let access = self.access(actor, channel_id).await?;
        access.require(bits::READ_MESSAGE_HISTORY)?;
        let threads = self.store.threads_of(channel_id, true, limit.clamp(1, 100)).await?;
        Ok(threads
            .into_iter()
            .filter(|t| t.kind == ChannelKind::PublicThread)
            .collect())
    }

    /// Active threads of the guild the actor can see.
    pub async fn active_threads(&self, actor: &User, guild_id: Snowflake) -> Result<Vec<Channel>, ChatError> {
        let visible = self.visible_channels(actor, guild_id).await?;
        let threads = self.store.active_threads(guild_id).await?;
        Ok(threads.into_iter().filter(|t| visible.contains(&t.id)).collect())
    }

    /// The text channel a thread is started in.
    async fn thread_parent(&self, actor: &User, channel_id: Snowflake) -> Result<Access, ChatError> {
        let access = self.access(actor, channel_id).await?;
        if access.channel.kind != ChannelKind::Text {
            return Err(ChatError::invalid(
                "channel_id",
                "threads can only be started in text channels",
            ));
        }
        Ok(access)
    }

    async fn thread_access(&self, actor: &User, thread_id: Snowflake) -> Result<Access, ChatError> {
        let access = self.access(actor, thread_id).await?;
        if !access.channel.kind.is_thread() {
            return Err(ChatError::invalid("channel_id", "not a thread"));
        }
        Ok(access)
    }

    async fn publish_thread_members(
        &self,
        thread: &Channel,
        added: Vec<wire::ThreadMember>,
        removed: Vec<wire::Id>,
    ) -> Result<(), ChatError> {
        let count = self.store.thread_members(thread.id).await?.len();
        let data = wire::ThreadMembersUpdate {
            id: wire::Id(thread.id),
            guild_id: wire::Id(thread.guild_id.unwrap_or_default()),
            member_count: count,
            added_members: added,
            removed_member_ids: removed,
        };
        self.hub.publish(
            Event::new(
                "THREAD_MEMBERS_UPDATE",
                &data,
                Audience::Channel(thread.id),
                intents::GUILDS,
            )
            .changing_permissions(),
        );
        Ok(())
    }
}

/// A thread member object.
pub fn thread_member(thread_id: Snowflake, user_id: Snowflake, joined_at: i64) -> wire::ThreadMember {
    wire::ThreadMember {
        id: wire::Id(thread_id),
        user_id: wire::Id(user_id),
        join_timestamp: crate::clock::iso8601(joined_at),
        flags: 0,
    }
}

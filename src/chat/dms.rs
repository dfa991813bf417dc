//! Direct messages and group DMs: opening a DM (one per pair, reopened rather than duplicated), creating a
//! group of up to ten, adding and removing people, renaming, closing and leaving; blocks and the DM setting;
//! and who may message whom. Only the people in a DM can reach it, by any route: [`Chat::access`] sends DMs
//! here, and nobody else (admins included) gets any permission in one.

use serde::Deserialize;
use serde_json::Value;

use super::{Access, Chat, ChatError};
use crate::hub::{Audience, Event};
use crate::perms::bits;
use crate::store::{Channel, ChannelKind, Departure, PrivateChannel, Snowflake, User};
use crate::wire;

/// The most people in a group DM, its creator included (Discord's limit).
pub const MAX_GROUP: usize = 10;

/// The body of `POST /users/@me/channels`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OpenInput {
    /// A DM with this user.
    #[serde(default, deserialize_with = "super::ids::deserialize_opt")]
    pub recipient_id: Option<Snowflake>,
    /// A group DM with these users.
    pub recipients: Option<Vec<Value>>,
    /// Discord's OAuth2 tokens for a bot's group DM (spot issues none).
    pub access_tokens: Option<Vec<Value>>,
    /// A group's name.
    pub name: Option<String>,
}

/// The body of `PATCH /channels/{id}` for a group DM.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GroupInput {
    /// New name (`null` or empty clears it).
    #[serde(default, deserialize_with = "present")]
    pub name: Option<Option<String>>,
    /// New icon as a data URI (`null` removes it).
    #[serde(default, deserialize_with = "present")]
    pub icon: Option<Option<String>>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(Option::<String>::deserialize(d)?))
}

impl Chat {
    /// Access to a DM or group DM: its people get [`bits::IN_PRIVATE`]; anyone else is refused.
    pub(super) async fn private_access(&self, actor: &User, channel: Channel) -> Result<Access, ChatError> {
        let recipients = self.store.dm_recipient_ids(channel.id).await?;
        if !recipients.contains(&actor.id) {
            return Err(ChatError::MissingAccess);
        }
        Ok(Access {
            channel,
            perms: bits::IN_PRIVATE,
            member: None,
            recipients,
        })
    }

    /// Publishes `name` with the channel as each of its people sees it (recipients leave the reader out).
    fn publish_private(&self, name: &'static str, private: &PrivateChannel, to: &[Snowflake]) {
        for &person in to {
            let data = wire::PrivateChannel::new(&private.channel, &private.people, person);
            self.hub.publish(Event::new(name, &data, Audience::User(person), 0));
        }
    }

    /// The user if they may be put in a conversation by `actor`: they exist, are in the space, are not a
    /// disabled account, and neither has blocked the other.
    async fn reachable(&self, actor: &User, other: Snowflake) -> Result<User, ChatError> {
        if other == actor.id {
            return Err(ChatError::CannotMessageUser);
        }
        let user = self.store.user_by_id(other).await?.ok_or(ChatError::UnknownUser)?;
        let home = self.store.guild_home().await?.ok_or(ChatError::UnknownGuild)?;
        if user.disabled
            || self.store.member_get(home.id, other).await?.is_none()
            || self.store.has_blocked(other, actor.id).await?
            || self.store.has_blocked(actor.id, other).await?
        {
            return Err(ChatError::CannotMessageUser);
        }
        Ok(user)
    }

    /// `POST /users/@me/channels`: the DM with `recipient_id`, or a new group DM with `recipients`.
    pub async fn open_private(&self, actor: &User, input: OpenInput) -> Result<wire::PrivateChannel, ChatError> {
        if input.access_tokens.is_some() && input.recipients.is_none() {
            return Err(ChatError::invalid(
                "access_tokens",
                "spot issues no OAuth2 access tokens: create a group DM with `recipients` (user ids)",
            ));
        }
        if let Some(list) = input.recipients {
            return self.create_group(actor, &list, input.name).await;
        }
        let other = input
            .recipient_id
            .ok_or_else(|| ChatError::invalid("recipient_id", "This field is required"))?;
        if other == actor.id {
            return Err(ChatError::CannotMessageUser);
        }
        let user = self.store.user_by_id(other).await?.ok_or(ChatError::UnknownUser)?;
        let home = self.store.guild_home().await?.ok_or(ChatError::UnknownGuild)?;
        if self.store.member_get(home.id, user.id).await?.is_none() {
            return Err(ChatError::CannotMessageUser);
        }
        let (private, opened) = self.store.dm_open(actor.id, other, self.clock.now_ms()).await?;
        if opened {
            self.publish_private("CHANNEL_CREATE", &private, &[actor.id]);
        }
        Ok(wire::PrivateChannel::new(&private.channel, &private.people, actor.id))
    }

    async fn create_group(
        &self,
        actor: &User,
        list: &[Value],
        name: Option<String>,
    ) -> Result<wire::PrivateChannel, ChatError> {
        let mut others: Vec<Snowflake> = Vec::new();
        for (i, value) in list.iter().enumerate() {
            let id = match value {
                Value::String(s) => s.parse().ok(),
                Value::Number(n) => n.as_i64(),
                _ => None,
            }
            .filter(|id| *id > 0)
            .ok_or_else(|| ChatError::invalid(&format!("recipients.{i}"), "Value \"{}\" is not snowflake."))?;
            if id != actor.id && !others.contains(&id) {
                others.push(id);
            }
        }
        if others.len() + 1 > MAX_GROUP {
            return Err(ChatError::TooManyRecipients);
        }
        for &other in &others {
            self.reachable(actor, other).await?;
            if self.store.dms_restricted(other).await? {
                return Err(ChatError::CannotMessageUser);
            }
        }
        let name = check_group_name(name)?;
        let private = self
            .store
            .group_dm_create(actor.id, others, name.unwrap_or_default(), self.clock.now_ms())
            .await?;
        let everyone: Vec<Snowflake> = private.people.iter().map(|u| u.id).collect();
        self.publish_private("CHANNEL_CREATE", &private, &everyone);
        Ok(wire::PrivateChannel::new(&private.channel, &private.people, actor.id))
    }

    /// One DM or group DM as the actor sees it (`GET /channels/{id}`).
    pub async fn private_channel(
        &self,
        actor: &User,
        channel_id: Snowflake,
    ) -> Result<wire::PrivateChannel, ChatError> {
        self.access(actor, channel_id).await?;
        let private = self
            .store
            .private_channel(channel_id)
            .await?
            .ok_or(ChatError::UnknownChannel)?;
        Ok(wire::PrivateChannel::new(&private.channel, &private.people, actor.id))
    }

    /// `GET /users/@me/channels`: the actor's open DMs and group DMs.
    pub async fn private_channels(&self, actor: &User) -> Result<Vec<wire::PrivateChannel>, ChatError> {
        let list = self.store.private_channels_of(actor.id).await?;
        Ok(list
            .iter()
            .map(|p| wire::PrivateChannel::new(&p.channel, &p.people, actor.id))
            .collect())
    }

    /// Whether the actor may post in this DM now: in a two-person DM the other person must not have blocked
    /// them (nor they the other), must still be in the space and enabled, and, if they take no DMs, must have
    /// started the conversation. Everyone in a group may post.
    pub(super) async fn check_private_send(&self, actor: &User, access: &Access) -> Result<(), ChatError> {
        if access.channel.kind != ChannelKind::Dm {
            return Ok(());
        }
        let Some(&other) = access.recipients.iter().find(|&&id| id != actor.id) else {
            return Err(ChatError::CannotMessageUser);
        };
        self.reachable(actor, other).await?;
        if self.store.dms_restricted(other).await? && access.channel.owner_id != Some(other) {
            return Err(ChatError::CannotMessageUser);
        }
        Ok(())
    }

    /// After a message in a DM: it reappears for whoever had closed it (or never saw it), before the message.
    pub(super) async fn reopen_private(&self, access: &Access) -> Result<(), ChatError> {
        if !access.channel.kind.is_private() {
            return Ok(());
        }
        let reopened = self.store.dm_reopen(access.channel.id).await?;
        if reopened.is_empty() {
            return Ok(());
        }
        if let Some(private) = self.store.private_channel(access.channel.id).await? {
            self.publish_private("CHANNEL_CREATE", &private, &reopened);
        }
        Ok(())
    }

    /// Posts the "started a call" message (Discord's type 3) in a DM or group DM; returns its id.
    pub async fn call_started(&self, actor: &User, channel_id: Snowflake) -> Result<Snowflake, ChatError> {
        let access = self.access(actor, channel_id).await?;
        self.system_message(actor, &access, 3, String::new(), Vec::new()).await
    }

    /// Posts a system message by the actor, as Discord words a group's changes: 1 someone added, 2 someone
    /// removed or left, 3 a call, 4 a new name (the content), 5 a new icon. `access.recipients` receive it.
    async fn system_message(
        &self,
        actor: &User,
        access: &Access,
        kind: i64,
        content: String,
        mentions: Vec<Snowflake>,
    ) -> Result<Snowflake, ChatError> {
        let new = crate::store::NewMessage {
            channel_id: access.channel.id,
            author_id: actor.id,
            content,
            kind,
            flags: 0,
            tts: false,
            nonce: None,
            mention_everyone: false,
            mentions,
            mention_roles: Vec::new(),
            embeds: Value::Array(Vec::new()),
            reference: None,
            attachments: Vec::new(),
            extra: Default::default(),
        };
        let (message, _) = self.store.message_create(new, None).await?;
        self.reopen_private(access).await?;
        self.publish_message("MESSAGE_CREATE", &message, access).await?;
        Ok(message.id)
    }

    /// The same access with the group's people as they are now (after an add or a departure).
    fn with_people(access: &Access, people: &[User]) -> Access {
        Access {
            recipients: people.iter().map(|u| u.id).collect(),
            ..access.clone()
        }
    }

    /// Access to a group DM; anything else (a DM, a guild channel) is refused for group changes.
    async fn group_access(&self, actor: &User, channel_id: Snowflake) -> Result<Access, ChatError> {
        let access = self.access(actor, channel_id).await?;
        if access.channel.kind != ChannelKind::GroupDm {
            return Err(ChatError::invalid(
                "channel_id",
                "Only a group DM has people to add or remove, a name or an icon",
            ));
        }
        Ok(access)
    }

    /// `PUT /channels/{id}/recipients/{user}`: anyone in a group DM may add someone (up to ten people).
    pub async fn add_recipient(
        &self,
        actor: &User,
        channel_id: Snowflake,
        user_id: Snowflake,
    ) -> Result<(), ChatError> {
        let access = self.group_access(actor, channel_id).await?;
        if access.recipients.contains(&user_id) {
            return Ok(());
        }
        let user = self.reachable(actor, user_id).await?;
        if self.store.dms_restricted(user.id).await? {
            return Err(ChatError::CannotMessageUser);
        }
        let Some((added, private)) = self
            .store
            .group_dm_add(channel_id, user_id, MAX_GROUP, self.clock.now_ms())
            .await?
        else {
            return Err(ChatError::TooManyRecipients);
        };
        if added {
            let data = wire::ChannelRecipient {
                channel_id: wire::Id(channel_id),
                user: wire::User::from(&user),
            };
            self.hub.publish(Event::new(
                "CHANNEL_RECIPIENT_ADD",
                &data,
                Audience::Users(access.recipients.clone()),
                0,
            ));
            self.publish_private("CHANNEL_CREATE", &private, &[user_id]);
            let now = Self::with_people(&access, &private.people);
            self.system_message(actor, &now, 1, String::new(), vec![user_id])
                .await?;
        }
        Ok(())
    }

    /// `DELETE /channels/{id}/recipients/{user}`: the owner removes someone; anyone removes themselves.
    pub async fn remove_recipient(
        &self,
        actor: &User,
        channel_id: Snowflake,
        user_id: Snowflake,
    ) -> Result<(), ChatError> {
        let access = self.group_access(actor, channel_id).await?;
        if user_id != actor.id && access.channel.owner_id != Some(actor.id) {
            return Err(ChatError::MissingPermissions);
        }
        if !access.recipients.contains(&user_id) {
            return Err(ChatError::UnknownUser);
        }
        self.leave_group(actor, &access, user_id).await
    }

    /// Takes `user_id` out of the group (the actor removed them, or left); the rest see who and why.
    async fn leave_group(&self, actor: &User, access: &Access, user_id: Snowflake) -> Result<(), ChatError> {
        let removed = self.store.user_by_id(user_id).await?.ok_or(ChatError::UnknownUser)?;
        let before = wire::PrivateChannel::new(&access.channel, &[], user_id);
        match self.store.group_dm_remove(access.channel.id, user_id).await? {
            Departure::NotIn => Err(ChatError::UnknownUser),
            Departure::Deleted(_) => {
                self.hub
                    .publish(Event::new("CHANNEL_DELETE", &before, Audience::User(user_id), 0));
                Ok(())
            }
            Departure::Left { group, new_owner } => {
                self.hub
                    .publish(Event::new("CHANNEL_DELETE", &before, Audience::User(user_id), 0));
                let rest: Vec<Snowflake> = group.people.iter().map(|u| u.id).collect();
                let data = wire::ChannelRecipient {
                    channel_id: wire::Id(access.channel.id),
                    user: wire::User::from(&removed),
                };
                self.hub.publish(Event::new(
                    "CHANNEL_RECIPIENT_REMOVE",
                    &data,
                    Audience::Users(rest.clone()),
                    0,
                ));
                if new_owner {
                    self.publish_private("CHANNEL_UPDATE", &group, &rest);
                }
                let now = Self::with_people(access, &group.people);
                self.system_message(actor, &now, 2, String::new(), vec![user_id])
                    .await?;
                Ok(())
            }
        }
    }

    /// `PATCH /channels/{id}` on a group DM: anyone in it may rename it or change its icon; `icons_dir` is
    /// `<data_dir>/channel-icons`.
    pub async fn update_group(
        &self,
        actor: &User,
        channel_id: Snowflake,
        input: GroupInput,
        icons_dir: &std::path::Path,
    ) -> Result<wire::PrivateChannel, ChatError> {
        let access = self.group_access(actor, channel_id).await?;
        let name = match input.name {
            None => None,
            Some(name) => Some(check_group_name(name)?.unwrap_or_default()),
        };
        let icon = match input.icon {
            None => None,
            Some(None) => Some(None),
            Some(Some(uri)) => Some(Some(
                super::profile::store_image(&uri, "icon", &icons_dir.join(channel_id.to_string())).await?,
            )),
        };
        let renamed = name.as_ref().filter(|n| **n != access.channel.name).cloned();
        let new_icon = icon.is_some();
        let private = self.store.group_dm_update(channel_id, name, icon).await?;
        let everyone: Vec<Snowflake> = private.people.iter().map(|u| u.id).collect();
        self.publish_private("CHANNEL_UPDATE", &private, &everyone);
        if let Some(name) = renamed {
            self.system_message(actor, &access, 4, name, Vec::new()).await?;
        }
        if new_icon {
            self.system_message(actor, &access, 5, String::new(), Vec::new())
                .await?;
        }
        Ok(wire::PrivateChannel::new(&private.channel, &private.people, actor.id))
    }

    /// `DELETE /channels/{id}` on a DM (closes it for the actor; it reopens with the next message) or a group
    /// DM (the actor leaves).
    pub async fn close_private(&self, actor: &User, channel_id: Snowflake) -> Result<wire::PrivateChannel, ChatError> {
        let access = self.access(actor, channel_id).await?;
        let private = self
            .store
            .private_channel(channel_id)
            .await?
            .ok_or(ChatError::UnknownChannel)?;
        let data = wire::PrivateChannel::new(&private.channel, &private.people, actor.id);
        if access.channel.kind == ChannelKind::GroupDm {
            self.leave_group(actor, &access, actor.id).await?;
        } else if self.store.dm_close(channel_id, actor.id).await? {
            self.hub
                .publish(Event::new("CHANNEL_DELETE", &data, Audience::User(actor.id), 0));
        }
        Ok(data)
    }

    /// `PUT /users/@me/relationships/{id}` with type 2: blocks someone.
    pub async fn block(&self, actor: &User, user_id: Snowflake) -> Result<(), ChatError> {
        if user_id == actor.id {
            return Err(ChatError::invalid("user_id", "You cannot block yourself"));
        }
        let user = self.store.user_by_id(user_id).await?.ok_or(ChatError::UnknownUser)?;
        let now = self.clock.now_ms();
        if self.store.block(actor.id, user_id, now).await? {
            let data = relationship(&user, now);
            self.hub
                .publish(Event::new("RELATIONSHIP_ADD", &data, Audience::User(actor.id), 0));
        }
        Ok(())
    }

    /// `DELETE /users/@me/relationships/{id}`: ends a block.
    pub async fn unblock(&self, actor: &User, user_id: Snowflake) -> Result<(), ChatError> {
        if !self.store.unblock(actor.id, user_id).await? {
            return Err(ChatError::UnknownUser);
        }
        let data = wire::RelationshipRemove {
            id: wire::Id(user_id),
            kind: 2,
        };
        self.hub
            .publish(Event::new("RELATIONSHIP_REMOVE", &data, Audience::User(actor.id), 0));
        Ok(())
    }

    /// `GET /users/@me/relationships`: the people the actor blocked.
    pub async fn relationships(&self, actor: &User) -> Result<Vec<wire::Relationship>, ChatError> {
        let blocks = self.store.blocks_of(actor.id).await?;
        Ok(blocks.iter().map(|(user, since)| relationship(user, *since)).collect())
    }

    /// The actor's settings.
    pub async fn settings(&self, actor: &User) -> Result<wire::UserSettings, ChatError> {
        Ok(wire::UserSettings {
            default_guilds_restricted: self.store.dms_restricted(actor.id).await?,
        })
    }

    /// `PATCH /users/@me/settings`: whether people in the space may start DMs with the actor.
    pub async fn set_dms_restricted(&self, actor: &User, restricted: bool) -> Result<wire::UserSettings, ChatError> {
        self.store.set_dms_restricted(actor.id, restricted).await?;
        let data = wire::UserSettings {
            default_guilds_restricted: restricted,
        };
        self.hub
            .publish(Event::new("USER_SETTINGS_UPDATE", &data, Audience::User(actor.id), 0));
        Ok(data)
    }
}

fn relationship(user: &User, since: crate::clock::Millis) -> wire::Relationship {
    wire::Relationship {
        id: wire::Id(user.id),
        kind: 2,
        user: wire::User::from(user),
        nickname: None,
        since: crate::clock::iso8601(since),
    }
}

fn check_group_name(name: Option<String>) -> Result<Option<String>, ChatError> {
    let name = name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if name.as_ref().is_some_and(|n| n.chars().count() > 100) {
        return Err(ChatError::invalid("name", "Must be between 1 and 100 in length."));
    }
    Ok(name)
}

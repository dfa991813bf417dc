//! Reactions with unicode emoji.

use super::{Chat, ChatError};
use crate::hub::{Event, intents};
use crate::perms::bits;
use crate::store::{Snowflake, StoreError, User};
use crate::wire;

/// Checks that `emoji` is a unicode emoji (custom emoji, `name:id`, are not supported) and returns it.
pub fn validate_emoji(emoji: &str) -> Result<String, ChatError> {
    let emoji = emoji.trim();
    let plausible = !emoji.is_empty()
        && emoji.len() <= 64
        && !emoji.contains(':')
        && !emoji.chars().any(|c| c.is_whitespace() || c.is_control())
        && !emoji.is_ascii();
    if plausible {
        Ok(emoji.to_owned())
    } else {
        Err(ChatError::UnknownEmoji)
    }
}

impl Chat {
    /// Adds the actor's reaction (ADD_REACTIONS for a new emoji; anyone who can read may join an existing one).
    pub async fn react(
        &self,
        actor: &User,
        channel_id: Snowflake,
        message_id: Snowflake,
        emoji: &str,
    ) -> Result<(), ChatError> {
        let emoji = validate_emoji(emoji)?;
        let access = self.access(actor, channel_id).await?;
        access.require(bits::READ_MESSAGE_HISTORY)?;
        let message = self
            .store
            .message_get(channel_id, message_id, actor.id)
            .await?
            .ok_or(ChatError::UnknownMessage)?;
        if !message.reactions.iter().any(|r| r.emoji == emoji) {
            access.require(bits::ADD_REACTIONS)?;
        }
        let added = match self
            .store
            .reaction_add(channel_id, message_id, emoji.clone(), actor.id, self.clock.now_ms())
            .await
        {
            Err(StoreError::NotFound) => return Err(ChatError::UnknownMessage),
            other => other?,
        };
        if added {
            let member = access.member.clone();
            let data = wire::ReactionEvent {
                user_id: wire::Id(actor.id),
                channel_id: wire::Id(channel_id),
                message_id: wire::Id(message_id),
                guild_id: access.channel.guild_id.map(wire::Id),
                member: member.as_ref().map(wire::Member::from),
                emoji: wire::ReactionEmoji {
                    id: None,
                    name: emoji.to_owned(),
                },
                message_author_id: Some(wire::Id(message.author.id)),
                burst: false,
                burst_colors: Some(Vec::new()),
                kind: 0,
            };
            self.hub.publish(Event::new(
                "MESSAGE_REACTION_ADD",
                &data,
                access.audience(),
                access.intent(intents::GUILD_MESSAGE_REACTIONS, intents::DIRECT_MESSAGE_REACTIONS),
            ));
        }
        Ok(())
    }

    /// Removes a reaction: the actor's own, or (MANAGE_MESSAGES) someone else's.
    pub async fn unreact(
        &self,
        actor: &User,
        channel_id: Snowflake,
        message_id: Snowflake,
        emoji: &str,
        user_id: Snowflake,
    ) -> Result<(), ChatError> {
        let emoji = validate_emoji(emoji)?;
        let access = self.access(actor, channel_id).await?;
        if user_id != actor.id {
            access.require(bits::MANAGE_MESSAGES)?;
        }
        let removed = match self
            .store
            .reaction_remove(channel_id, message_id, emoji.clone(), user_id)
            .await
        {
            Err(StoreError::NotFound) => return Err(ChatError::UnknownMessage),
            other => other?,
        };
        if removed {
            let data = wire::ReactionEvent {
                user_id: wire::Id(user_id),
                channel_id: wire::Id(channel_id),
                message_id: wire::Id(message_id),
                guild_id: access.channel.guild_id.map(wire::Id),
                member: None,
                emoji: wire::ReactionEmoji {
                    id: None,
                    name: emoji.to_owned(),
                },
                message_author_id: None,
                burst: false,
                burst_colors: None,
                kind: 0,
            };
            self.hub.publish(Event::new(
                "MESSAGE_REACTION_REMOVE",
                &data,
                access.audience(),
                access.intent(intents::GUILD_MESSAGE_REACTIONS, intents::DIRECT_MESSAGE_REACTIONS),
            ));
        }
        Ok(())
    }

    /// Removes all reactions, or all with one emoji (MANAGE_MESSAGES).
    pub async fn clear_reactions(
        &self,
        actor: &User,
        channel_id: Snowflake,
        message_id: Snowflake,
        emoji: Option<&str>,
    ) -> Result<(), ChatError> {
        let emoji = emoji.map(validate_emoji).transpose()?;
        let access = self.access(actor, channel_id).await?;
        access.require(bits::MANAGE_MESSAGES)?;
        match self.store.reactions_clear(channel_id, message_id, emoji.clone()).await {
            Err(StoreError::NotFound) => return Err(ChatError::UnknownMessage),
            other => other?,
        };
        let name = if emoji.is_some() {
            "MESSAGE_REACTION_REMOVE_EMOJI"
        } else {
            "MESSAGE_REACTION_REMOVE_ALL"
        };
        let data = wire::ReactionsCleared {
            channel_id: wire::Id(channel_id),
            message_id: wire::Id(message_id),
            guild_id: access.channel.guild_id.map(wire::Id),
            emoji: emoji.map(|emoji| wire::ReactionEmoji {
                id: None,
                name: emoji.to_owned(),
            }),
        };
        self.hub.publish(Event::new(
            name,
            &data,
            access.audience(),
            access.intent(intents::GUILD_MESSAGE_REACTIONS, intents::DIRECT_MESSAGE_REACTIONS),
        ));
        Ok(())
    }

    /// Users who reacted with an emoji.
    pub async fn reactors(
        &self,
        actor: &User,
        channel_id: Snowflake,
        message_id: Snowflake,
        emoji: &str,
        after: Snowflake,
        limit: i64,
    ) -> Result<Vec<User>, ChatError> {
        let emoji = validate_emoji(emoji)?;
        let access = self.access(actor, channel_id).await?;
        access.require(bits::READ_MESSAGE_HISTORY)?;
        match self
            .store
            .reaction_users(channel_id, message_id, emoji, after, limit.clamp(1, 100))
            .await
        {
            Err(StoreError::NotFound) => Err(ChatError::UnknownMessage),
            other => Ok(other?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::validate_emoji;

    #[test]
    fn emoji() {
        assert!(validate_emoji("👍").is_ok());
        assert!(validate_emoji("👍🏽").is_ok());
        assert!(validate_emoji("🇫🇷").is_ok());
        for bad in ["", "abc", ":party:123", "name:123", "👍 👍", "\u{7}"] {
            assert!(validate_emoji(bad).is_err(), "{bad:?}");
        }
    }
}

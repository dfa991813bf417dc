//! Reactions with unicode emoji and the space's custom emoji. A custom emoji is stored by its id (so a rename
//! keeps one group) and shown with its current name; a deleted one keeps its name and can still be removed.

use super::{Chat, ChatError};
use crate::hub::{Event, intents};
use crate::perms::bits;
use crate::store::{Snowflake, StoreError, User};
use crate::wire;

/// A reaction's emoji as a route names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReactionName {
    /// A unicode emoji.
    Unicode(String),
    /// A custom emoji, by id (`name:id` or `a:name:id` in routes).
    Custom(Snowflake),
}

/// Reads a route's emoji: a unicode emoji, or a custom emoji as `name:id` / `a:name:id`.
pub fn parse_emoji(emoji: &str) -> Result<ReactionName, ChatError> {
    let emoji = emoji.trim();
    if let Some((_, id)) = emoji.rsplit_once(':') {
        let name = &emoji[..emoji.len() - id.len() - 1];
        let name = name.strip_prefix("a:").unwrap_or(name);
        let plausible = name.len() <= 32 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        return match id.parse::<Snowflake>() {
            Ok(id) if id > 0 && plausible => Ok(ReactionName::Custom(id)),
            _ => Err(ChatError::UnknownEmoji),
        };
    }
    let plausible = !emoji.is_empty()
        && emoji.len() <= 64
        && !emoji.chars().any(|c| c.is_whitespace() || c.is_control())
        && !emoji.is_ascii();
    if plausible {
        Ok(ReactionName::Unicode(emoji.to_owned()))
    } else {
        Err(ChatError::UnknownEmoji)
    }
}

impl Chat {
    /// The stored key and the event form of a route's emoji. A custom emoji must be one of the space's (and,
    /// to add it, not deleted): anything else is [`ChatError::UnknownEmoji`].
    async fn reaction_emoji(&self, emoji: &str, adding: bool) -> Result<(String, wire::ReactionEmoji), ChatError> {
        match parse_emoji(emoji)? {
            ReactionName::Unicode(text) => {
                let shown = wire::ReactionEmoji::stored(&text, None);
                Ok((text, shown))
            }
            ReactionName::Custom(id) => {
                let found = self.store.emoji(id).await?.ok_or(ChatError::UnknownEmoji)?;
                if adding && found.deleted {
                    return Err(ChatError::UnknownEmoji);
                }
                let key = id.to_string();
                let shown = wire::ReactionEmoji::stored(&key, Some(&(found.name, found.animated)));
                Ok((key, shown))
            }
        }
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
        let (emoji, shown) = self.reaction_emoji(emoji, true).await?;
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
                emoji: shown,
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
        let (emoji, shown) = self.reaction_emoji(emoji, false).await?;
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
                emoji: shown,
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
        let emoji = match emoji {
            Some(emoji) => Some(self.reaction_emoji(emoji, false).await?),
            None => None,
        };
        let access = self.access(actor, channel_id).await?;
        access.require(bits::MANAGE_MESSAGES)?;
        match self
            .store
            .reactions_clear(channel_id, message_id, emoji.as_ref().map(|(key, _)| key.clone()))
            .await
        {
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
            emoji: emoji.map(|(_, shown)| shown),
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
        let (emoji, _) = self.reaction_emoji(emoji, false).await?;
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
    use super::{ReactionName, parse_emoji};

    #[test]
    fn emoji() {
        assert!(parse_emoji("👍").is_ok());
        assert!(parse_emoji("👍🏽").is_ok());
        assert!(parse_emoji("🇫🇷").is_ok());
        assert_eq!(parse_emoji("party:123").unwrap(), ReactionName::Custom(123));
        assert_eq!(parse_emoji("a:party:123").unwrap(), ReactionName::Custom(123));
        assert_eq!(parse_emoji(":123").unwrap(), ReactionName::Custom(123));
        for bad in ["", "abc", "name:", "name:abc", "na me:1", "👍 👍", "\u{7}", ":0"] {
            assert!(parse_emoji(bad).is_err(), "{bad:?}");
        }
    }
}

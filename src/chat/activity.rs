//! Around messages: pins, typing indicators and read acknowledgements.

use super::{Chat, ChatError};
use crate::hub::{Audience, Event, intents};
use crate::perms::bits;
use crate::store::{Message, Snowflake, StoreError, User};
use crate::wire;

impl Chat {
    /// Pins or unpins (MANAGE_MESSAGES; in a DM or group DM anyone in it, as on Discord).
    pub async fn set_pinned(
        &self,
        actor: &User,
        channel_id: Snowflake,
        id: Snowflake,
        pinned: bool,
    ) -> Result<(), ChatError> {
        let access = self.access(actor, channel_id).await?;
        if !access.channel.kind.is_private() {
            access.require(bits::MANAGE_MESSAGES)?;
        }
        let changed = match self
            .store
            .message_set_pinned(channel_id, id, pinned, self.clock.now_ms())
            .await
        {
            Err(StoreError::NotFound) => return Err(ChatError::UnknownMessage),
            other => other?,
        };
        if let Some(message) = changed {
            self.publish_message("MESSAGE_UPDATE", &message, &access).await?;
            let channel = self
                .store
                .channel_get(channel_id)
                .await?
                .ok_or(ChatError::UnknownChannel)?;
            let data = wire::ChannelPinsUpdate {
                guild_id: access.channel.guild_id.map(wire::Id),
                channel_id: wire::Id(channel_id),
                last_pin_timestamp: channel.last_pin_timestamp.map(crate::clock::iso8601),
            };
            self.hub.publish(Event::new(
                "CHANNEL_PINS_UPDATE",
                &data,
                access.audience(),
                access.intent(intents::GUILDS, 0),
            ));
        }
        Ok(())
    }

    /// Pinned messages with when they were pinned.
    pub async fn pins(
        &self,
        actor: &User,
        channel_id: Snowflake,
    ) -> Result<(Vec<(Message, i64)>, Option<Snowflake>), ChatError> {
        let access = self.access(actor, channel_id).await?;
        access.require(bits::READ_MESSAGE_HISTORY)?;
        Ok((self.store.pins(channel_id, actor.id).await?, access.channel.guild_id))
    }

    /// Marks the channel read up to `message_id` for the actor, and tells their other sessions.
    pub async fn ack(&self, actor: &User, channel_id: Snowflake, message_id: Snowflake) -> Result<(), ChatError> {
        self.access(actor, channel_id).await?;
        self.store.read_state_ack(actor.id, channel_id, message_id).await?;
        let data = wire::MessageAck {
            channel_id: wire::Id(channel_id),
            message_id: wire::Id(message_id),
            version: 1,
        };
        self.hub
            .publish(Event::new("MESSAGE_ACK", &data, Audience::User(actor.id), 0));
        Ok(())
    }

    /// Signals that the actor is typing.
    pub async fn typing(&self, actor: &User, channel_id: Snowflake) -> Result<(), ChatError> {
        let access = self.access(actor, channel_id).await?;
        access.require(bits::SEND_MESSAGES)?;
        let member = access.member.clone();
        let data = wire::TypingStart {
            channel_id: wire::Id(channel_id),
            guild_id: access.channel.guild_id.map(wire::Id),
            user_id: wire::Id(actor.id),
            timestamp: self.clock.now_ms() / 1000,
            member: member.as_ref().map(wire::Member::from),
        };
        self.hub.publish(Event::new(
            "TYPING_START",
            &data,
            access.audience(),
            access.intent(intents::GUILD_MESSAGE_TYPING, intents::DIRECT_MESSAGE_TYPING),
        ));
        Ok(())
    }
}

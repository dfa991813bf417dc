//! Link previews, the chat side: asking for them after a message is stored or its text edited, and storing
//! and announcing them when the unfurler hands them back. What a link unfurls to is [`crate::unfurl`]'s job.

use serde_json::Value;

use super::messages::SUPPRESS_EMBEDS;
use super::{Access, Chat, ChatError};
use crate::perms::bits;
use crate::store::{Message, Snowflake};

impl Chat {
    /// Queues a message's links for previews when its author may embed links (EMBED_LINKS, as on Discord) and
    /// has not suppressed embeds.
    pub(super) fn request_previews(&self, access: &Access, message: &Message) {
        let Some(links) = &self.links else { return };
        if message.flags & SUPPRESS_EMBEDS != 0 || access.require(bits::EMBED_LINKS).is_err() {
            return;
        }
        links.request(message.channel_id, message.id, &message.content);
    }

    /// Stores the previews of a message whose text is still `content`, then publishes MESSAGE_UPDATE. A message
    /// deleted or edited meanwhile is left alone (the edit asked for its own previews).
    pub async fn attach_link_embeds(
        &self,
        channel_id: Snowflake,
        message_id: Snowflake,
        content: String,
        embeds: Vec<Value>,
    ) -> Result<(), ChatError> {
        let Some(message) = self
            .store
            .message_set_link_embeds(channel_id, message_id, content, Value::Array(embeds))
            .await?
        else {
            return Ok(());
        };
        let Some(channel) = self.store.channel_get(channel_id).await? else {
            return Ok(());
        };
        let member = self.store.member_get(channel.guild_id, message.author.id).await?;
        self.publish_message_in("MESSAGE_UPDATE", &message, channel.guild_id, member.as_ref());
        Ok(())
    }
}

//! Link previews, the chat side: asking for them after a message is stored or its text edited (a job on a
//! bounded queue the unfurler reads), and storing and announcing them when the unfurler hands them back. What a
//! link unfurls to is the unfurl module's job.

use serde_json::Value;
use tokio::sync::mpsc;

use super::links::links;
use super::messages::SUPPRESS_EMBEDS;
use super::{Access, Chat, ChatError};
use crate::config::PreviewsConfig;
use crate::perms::bits;
use crate::store::{Message, Snowflake};

/// Jobs waiting for the unfurler; beyond this, new messages go without previews.
const QUEUE: usize = 1024;

/// One message whose links want previews.
#[derive(Debug, Clone)]
pub struct LinkJob {
    /// Its channel.
    pub channel_id: Snowflake,
    /// The message.
    pub message_id: Snowflake,
    /// Its text when the job was made.
    pub content: String,
}

/// The sending end, held by [`Chat`].
#[derive(Debug, Clone)]
pub struct LinkQueue {
    tx: mpsc::Sender<LinkJob>,
    max_links: usize,
}

impl LinkQueue {
    /// Asks for previews of the links in a message, if it has any. Never waits.
    pub fn request(&self, channel_id: Snowflake, message_id: Snowflake, content: &str) {
        if links(content, self.max_links).is_empty() {
            return;
        }
        let job = LinkJob {
            channel_id,
            message_id,
            content: content.to_owned(),
        };
        if self.tx.try_send(job).is_err() {
            tracing::warn!(%message_id, "link preview queue is full; this message gets no previews");
        }
    }
}

/// The receiving end, for the unfurler.
pub struct LinkJobs(mpsc::Receiver<LinkJob>);

impl LinkJobs {
    /// The next job; `None` once every sending end is dropped.
    pub async fn next(&mut self) -> Option<LinkJob> {
        self.0.recv().await
    }
}

/// A queue for `config` (`None` when previews are off).
pub fn queue(config: &PreviewsConfig) -> (Option<LinkQueue>, LinkJobs) {
    let (tx, rx) = mpsc::channel(QUEUE);
    let queue = config.enabled.then_some(LinkQueue {
        tx,
        max_links: config.max_links_per_message,
    });
    (queue, LinkJobs(rx))
}

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
        let member = match channel.guild_id {
            Some(guild_id) => self.store.member_get(guild_id, message.author.id).await?,
            None => None,
        };
        let recipients = if channel.kind.is_private() {
            self.store.dm_recipient_ids(channel.id).await?
        } else {
            Vec::new()
        };
        let access = super::Access {
            channel,
            perms: 0,
            member: None,
            recipients,
        };
        self.publish_message_in("MESSAGE_UPDATE", &message, &access, member.as_ref());
        Ok(())
    }
}

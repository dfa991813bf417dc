//! The admin panel's webhooks: every webhook of the space (where it posts, who made it), making one for a
//! channel (its URL shown once) and deleting one. The chat rules do the work; the admin's rights in the space
//! cover MANAGE_WEBHOOKS.

use super::{Admin, AdminError};
use crate::store::{Snowflake, User, Webhook};

impl Admin {
    /// Every webhook of the home space.
    pub async fn webhooks(&self, actor: &User) -> Result<Vec<Webhook>, AdminError> {
        Self::require(actor)?;
        let Some(home) = self.store.guild_home().await? else {
            return Ok(Vec::new());
        };
        Ok(self.chat.webhooks(actor, home.id, None).await?)
    }

    /// Makes a webhook posting into `channel_id`; returns it and its token (shown once).
    pub async fn create_webhook(
        &self,
        actor: &User,
        channel_id: Snowflake,
        name: &str,
    ) -> Result<(Webhook, String), AdminError> {
        Self::require(actor)?;
        let input = crate::chat::webhooks::WebhookInput {
            name: Some(name.to_owned()),
            ..Default::default()
        };
        let (hook, token) = self
            .chat
            .create_webhook(actor, channel_id, input, &self.data_dir.join("avatars"))
            .await?;
        self.audit(actor, "webhook.create", &hook.name, "").await;
        Ok((hook, token))
    }

    /// Deletes a webhook (what it posted stays).
    pub async fn delete_webhook(&self, actor: &User, id: Snowflake) -> Result<(), AdminError> {
        Self::require(actor)?;
        let hook = self.chat.webhook(actor, id).await?;
        self.chat.delete_webhook(&hook).await?;
        self.audit(actor, "webhook.delete", &hook.name, "").await;
        Ok(())
    }
}

//! What a bot does with an interaction's token after its first answer, for 15 minutes: follow-up messages
//! (`POST /webhooks/{app}/{token}`) and reading, editing and deleting its answers
//! (`/webhooks/{app}/{token}/messages/{id | @original}`), ephemeral ones included.

use serde_json::Value;

use super::{AnswerInput, Pending};
use crate::chat::{Chat, ChatError};
use crate::store::Snowflake;
use crate::wire;

impl Chat {
    /// The interaction this token belongs to, if `application_id` is its bot (follow-up routes share their
    /// shape with webhooks).
    pub(crate) fn interaction_for_token(&self, application_id: Snowflake, token: &str) -> Option<Pending> {
        self.interactions.by_token(application_id, token, self.clock.now_ms())
    }

    fn message_ref(pending: &Pending, which: &str) -> Result<Snowflake, ChatError> {
        if which == "@original" {
            return pending.original.ok_or(ChatError::UnknownMessage);
        }
        which.parse().map_err(|_| ChatError::UnknownMessage)
    }

    /// `POST /webhooks/{app}/{token}`: a follow-up message (ephemeral with flag 64).
    pub async fn followup(&self, pending: &Pending, input: AnswerInput) -> Result<Value, ChatError> {
        if !pending.answered {
            return Err(ChatError::UnknownInteraction);
        }
        let message = self.post_answer(pending, input, false).await?;
        Ok(wire::message(&message, pending.guild_id, None, &self.urls))
    }

    /// `GET /webhooks/{app}/{token}/messages/{id}`.
    pub async fn followup_message(&self, pending: &Pending, which: &str) -> Result<Value, ChatError> {
        let id = Self::message_ref(pending, which)?;
        if let Some(message) = pending.ephemeral.get(&id) {
            return Ok(wire::message(message, pending.guild_id, None, &self.urls));
        }
        let message = self
            .store
            .message_get(pending.channel_id, id, pending.application_id)
            .await?
            .filter(|m| m.author.id == pending.application_id)
            .ok_or(ChatError::UnknownMessage)?;
        Ok(wire::message(&message, pending.guild_id, None, &self.urls))
    }

    /// `PATCH /webhooks/{app}/{token}/messages/{id}`.
    pub async fn followup_edit(&self, pending: &Pending, which: &str, input: AnswerInput) -> Result<Value, ChatError> {
        let id = Self::message_ref(pending, which)?;
        let message = self.edit_answer(pending, id, input).await?;
        Ok(wire::message(&message, pending.guild_id, None, &self.urls))
    }

    /// `DELETE /webhooks/{app}/{token}/messages/{id}`.
    pub async fn followup_delete(&self, pending: &Pending, which: &str) -> Result<(), ChatError> {
        let id = Self::message_ref(pending, which)?;
        self.delete_answer(pending, id).await
    }
}

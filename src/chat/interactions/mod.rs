//! Interactions: a person invokes a bot's command, clicks its button or submits its form (`POST /interactions`
//! from the web client); the bot gets INTERACTION_CREATE with a token and must answer at
//! `POST /interactions/{id}/{token}/callback` within 3 seconds, or the person is told the application did not
//! respond. With the token the bot then has 15 minutes of follow-ups and edits (`/webhooks/{app}/{token}`).
//!
//! Answers are messages from the bot carrying `interaction_metadata`; ephemeral ones (flag 64) are never stored
//! and go only to the person who invoked (they vanish on reload, as on Discord). The registry of interactions
//! in flight lives in memory: a restart forgets them, as their tokens would expire anyway.

mod followup;
mod payload;
mod respond;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Access, Chat, ChatError};
use crate::clock::Millis;
use crate::hub::{Audience, Event};
use crate::perms::bits;
use crate::store::{Message, Snowflake, User};

pub use respond::{AnswerInput, CallbackInput};

/// A message's components as a bot sends them, checked and numbered.
pub fn checked_components(rows: &Value) -> Result<Value, ChatError> {
    payload::checked_components(rows, false)
}

/// How long an interaction's token works.
const TOKEN_LIFE_MS: Millis = 15 * 60 * 1000;
/// How long a bot has for its first answer.
const ANSWER_WITHIN_MS: Millis = 3000;

/// What the web client sends to `POST /interactions`.
#[derive(Debug, Clone, Deserialize)]
pub struct InteractionInput {
    /// 2 command, 3 component, 4 autocomplete, 5 modal submit.
    #[serde(rename = "type")]
    pub kind: i64,
    /// The bot.
    #[serde(deserialize_with = "super::ids::deserialize")]
    pub application_id: Snowflake,
    /// Where.
    #[serde(deserialize_with = "super::ids::deserialize")]
    pub channel_id: Snowflake,
    /// The component's message (type 3).
    #[serde(default, deserialize_with = "super::ids::deserialize_opt")]
    pub message_id: Option<Snowflake>,
    /// Echoed in the dispatches to the invoker.
    #[serde(default)]
    pub nonce: Option<String>,
    /// The command, component or form data.
    #[serde(default)]
    pub data: Value,
}

/// An interaction in flight.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: Snowflake,
    pub token: String,
    pub kind: i64,
    pub application_id: Snowflake,
    pub user_id: Snowflake,
    pub channel_id: Snowflake,
    pub guild_id: Option<Snowflake>,
    pub nonce: Option<String>,
    pub created: Millis,
    /// The first answer came (or the deadline passed without one).
    pub answered: bool,
    pub expired: bool,
    /// The original response (stored, or ephemeral and kept in `ephemeral`).
    pub original: Option<Snowflake>,
    /// The component's message (type 3).
    pub component_message: Option<Snowflake>,
    /// Ephemeral messages sent with this token, by id.
    pub ephemeral: HashMap<Snowflake, Message>,
    /// The command's name and type, for `interaction_metadata`.
    pub command: Option<(String, i64)>,
    /// A context menu's target.
    pub target_id: Option<Snowflake>,
}

/// Interactions in flight. Cheap to clone.
#[derive(Clone, Default)]
pub struct Registry {
    inner: Arc<Mutex<HashMap<Snowflake, Pending>>>,
    /// Forms opened per person: (user, custom id) → the interaction that opened it.
    modals: Arc<Mutex<HashMap<(Snowflake, String), Snowflake>>>,
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Snowflake, Pending>> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn insert(&self, pending: Pending, now: Millis) {
        let mut map = self.lock();
        map.retain(|_, p| now - p.created < TOKEN_LIFE_MS);
        // Forms opened by interactions that are gone can no longer be submitted.
        self.modals
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .retain(|_, opener| map.contains_key(opener));
        map.insert(pending.id, pending);
    }

    /// The interaction `id` if `token` is its token and it has not expired.
    pub(crate) fn get(&self, id: Snowflake, token: &str, now: Millis) -> Option<Pending> {
        self.lock()
            .get(&id)
            .filter(|p| {
                crate::crypto::constant_time_eq(p.token.as_bytes(), token.as_bytes()) && now - p.created < TOKEN_LIFE_MS
            })
            .cloned()
    }

    /// The interaction with this token for this application (follow-ups name the token, not the id).
    pub(crate) fn by_token(&self, application_id: Snowflake, token: &str, now: Millis) -> Option<Pending> {
        self.lock()
            .values()
            .find(|p| {
                p.application_id == application_id
                    && now - p.created < TOKEN_LIFE_MS
                    && crate::crypto::constant_time_eq(p.token.as_bytes(), token.as_bytes())
            })
            .cloned()
    }

    pub(crate) fn update(&self, id: Snowflake, change: impl FnOnce(&mut Pending)) {
        if let Some(pending) = self.lock().get_mut(&id) {
            change(pending);
        }
    }
}

/// A fresh interaction token: long and URL-safe, as Discord's.
fn new_token(id: Snowflake) -> String {
    format!("aW50ZXJhY3Rpb246{id}{}", crate::crypto::random_token()).replace(['+', '/', '='], "_")
}

impl Chat {
    /// Sends a dispatch to the invoker's sessions.
    fn tell(&self, user: Snowflake, name: &'static str, data: &Value) {
        self.hub.publish(Event::new(name, data, Audience::User(user), 0));
    }

    /// `POST /interactions`: checks the invocation, records it, and hands it to the bot.
    pub async fn invoke(&self, actor: &User, input: InteractionInput) -> Result<(), ChatError> {
        if actor.is_bot {
            return Err(ChatError::MissingAccess);
        }
        let access = self.access(actor, input.channel_id).await?;
        if !access.channel.kind.is_private() {
            access.require(bits::USE_APPLICATION_COMMANDS)?;
        }
        let bot = self
            .store
            .user_by_id(input.application_id)
            .await?
            .filter(|u| u.is_bot && !u.disabled)
            .ok_or(ChatError::UnknownUser)?;
        let now = self.clock.now_ms();
        let id = self.store.next_id();
        let mut pending = Pending {
            id,
            token: new_token(id),
            kind: input.kind,
            application_id: bot.id,
            user_id: actor.id,
            channel_id: access.channel.id,
            guild_id: access.channel.guild_id,
            nonce: input.nonce.clone(),
            created: now,
            answered: false,
            expired: false,
            original: None,
            component_message: None,
            ephemeral: HashMap::new(),
            command: None,
            target_id: None,
        };
        let (data, message) = self
            .interaction_data(actor, &access, &bot, &input, &mut pending)
            .await?;
        let body = self
            .interaction_body(actor, &access, &bot, &pending, data, message)
            .await?;
        self.interactions.insert(pending.clone(), now);
        self.hub
            .publish(Event::new("INTERACTION_CREATE", &body, Audience::User(bot.id), 0));
        self.tell(
            actor.id,
            "INTERACTION_CREATE",
            &json!({"id": id.to_string(), "nonce": input.nonce}),
        );
        if input.kind != 4 {
            self.watch_deadline(id);
        }
        Ok(())
    }

    /// After 3 seconds without an answer: the invoker is told, and the token no longer answers.
    fn watch_deadline(&self, id: Snowflake) {
        let chat = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(ANSWER_WITHIN_MS as u64)).await;
            let mut missed = None;
            chat.interactions.update(id, |p| {
                if !p.answered {
                    p.expired = true;
                    missed = Some((p.user_id, p.nonce.clone()));
                }
            });
            if let Some((user, nonce)) = missed {
                chat.tell(
                    user,
                    "INTERACTION_FAILURE",
                    &json!({"id": id.to_string(), "nonce": nonce, "reason": "The application did not respond"}),
                );
            }
        });
    }

    /// An access for posting a bot's answer where the interaction happened (answers need no channel rights).
    pub(crate) async fn answer_access(&self, pending: &Pending) -> Result<Access, ChatError> {
        let channel = self
            .store
            .channel_get(pending.channel_id)
            .await?
            .ok_or(ChatError::UnknownChannel)?;
        let recipients = if channel.kind.is_private() {
            self.store.dm_recipient_ids(channel.id).await?
        } else {
            Vec::new()
        };
        Ok(Access {
            channel,
            perms: bits::ALL,
            member: None,
            recipients,
        })
    }
}

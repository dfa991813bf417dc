//! The hub: where every dispatch is published once and every gateway session reads from.
//!
//! An event's `d` is serialized once, at publish time, and shared (`Arc<str>`) by every session; per session
//! there is only the audience/permission filter and the write. Gateway sessions are served by the
//! [`Fanout`](super::fanout::Fanout); the server's own listeners (voice, the DJ) read a `tokio::sync::broadcast`
//! ring of [`CAPACITY`] events.

use std::sync::{Arc, OnceLock};

use serde_json::Value;
use tokio::sync::broadcast;

use super::fanout::Fanout;
use super::session::Session;
use crate::store::Snowflake;

/// Events buffered for the server's own listeners, and events a session may have waiting for its owner.
pub const CAPACITY: usize = 8192;

/// Gateway intents (Discord's bit numbers).
pub mod intents {
    pub const GUILDS: u64 = 1 << 0;
    pub const GUILD_MEMBERS: u64 = 1 << 1;
    pub const GUILD_VOICE_STATES: u64 = 1 << 7;
    pub const GUILD_PRESENCES: u64 = 1 << 8;
    pub const GUILD_MESSAGES: u64 = 1 << 9;
    pub const GUILD_MESSAGE_REACTIONS: u64 = 1 << 10;
    pub const GUILD_MESSAGE_TYPING: u64 = 1 << 11;
    pub const MESSAGE_CONTENT: u64 = 1 << 15;
    /// Intents that need to be allowed (Discord's "privileged" ones).
    pub const PRIVILEGED: u64 = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT;

    /// The application flags that tell libraries a bot may use the privileged intents (GATEWAY_PRESENCE,
    /// GATEWAY_GUILD_MEMBERS, GATEWAY_MESSAGE_CONTENT): disnake, for one, fetches members only when it sees
    /// them. 0 when `gateway.privileged_intents` is off.
    pub fn application_flags(privileged_allowed: bool) -> u64 {
        if privileged_allowed {
            (1 << 12) | (1 << 14) | (1 << 18)
        } else {
            0
        }
    }
    /// Every intent bit Discord defines.
    pub const ALL: u64 = (1 << 26) - 1;
}

/// Who may receive an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every member of the guild.
    Guild(Snowflake),
    /// Members who can view the channel (threads: their parent).
    Channel(Snowflake),
    /// One user.
    User(Snowflake),
}

/// One dispatch, serialized once.
#[derive(Debug)]
pub struct Event {
    /// The dispatch name (`MESSAGE_CREATE`, …).
    pub name: &'static str,
    /// The serialized `d`.
    pub data: Arc<str>,
    /// `d` without message content, for bots that did not ask for the MESSAGE_CONTENT intent.
    /// Computed the first time a session needs it (most events never need it).
    pub data_without_content: Option<OnceLock<Arc<str>>>,
    /// Users who get the content anyway (the author, those mentioned).
    pub content_exempt: Vec<Snowflake>,
    /// Who may receive it.
    pub audience: Audience,
    /// The intent a session must have asked for (0: always sent).
    pub intent: u64,
    /// The event changes who can see what: sessions recompute their visible channels before filtering it.
    pub changes_permissions: bool,
    /// This user's sessions end after receiving it (they were removed from the space).
    pub ends_sessions_of: Option<Snowflake>,
    /// Its place in the order of publication (set by the fan-out; 1 is the first event).
    pub(super) serial: u64,
}

impl Event {
    /// An event for `audience` with `data` as its `d`.
    pub fn new(name: &'static str, data: &Value, audience: Audience, intent: u64) -> Self {
        Self {
            name,
            data: Arc::from(data.to_string()),
            data_without_content: None,
            content_exempt: Vec::new(),
            audience,
            intent,
            changes_permissions: false,
            ends_sessions_of: None,
            serial: 0,
        }
    }

    /// Marks the event as changing permissions or visibility.
    pub fn changing_permissions(mut self) -> Self {
        self.changes_permissions = true;
        self
    }

    /// Adds the content-less variant of a message event.
    pub fn with_content_variant(mut self, exempt: Vec<Snowflake>) -> Self {
        self.data_without_content = Some(OnceLock::new());
        self.content_exempt = exempt;
        self
    }

    /// `d` without message content (text, embeds, attachments, components), computed once on first use.
    pub fn without_content(&self) -> Option<Arc<str>> {
        let cell = self.data_without_content.as_ref()?;
        let stripped = cell.get_or_init(|| {
            let Ok(mut value) = serde_json::from_str::<Value>(&self.data) else {
                return Arc::clone(&self.data);
            };
            for key in ["content", "embeds", "attachments", "components"] {
                if let Some(field) = value.get_mut(key) {
                    *field = if key == "content" {
                        Value::String(String::new())
                    } else {
                        Value::Array(Vec::new())
                    };
                }
            }
            Arc::from(value.to_string())
        });
        Some(Arc::clone(stripped))
    }
}

/// The fan-out point. Cheap to clone.
#[derive(Clone)]
pub struct Hub {
    sender: broadcast::Sender<Arc<Event>>,
    fanout: Arc<Fanout>,
}

impl Default for Hub {
    fn default() -> Self {
        Self::new()
    }
}

impl Hub {
    /// A hub with no subscribers.
    pub fn new() -> Self {
        Self {
            sender: broadcast::channel(CAPACITY).0,
            fanout: Arc::default(),
        }
    }

    /// Publishes an event to every gateway session and listener. Call only after the change is stored.
    pub fn publish(&self, event: Event) {
        let event = self.fanout.publish(event);
        // No listeners is fine.
        let _ = self.sender.send(event);
    }

    /// A receiver for one of the server's own listeners.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.sender.subscribe()
    }

    /// The fan-out shard for a new session.
    pub fn pick_shard(&self) -> usize {
        self.fanout.pick_shard()
    }

    /// Starts delivering to a session: every event published from now on is offered to it.
    pub fn add_session(&self, session: &Arc<Session>) {
        self.fanout.add(session);
    }

    /// Stops delivering to a session.
    pub fn remove_session(&self, session: &Arc<Session>) {
        self.fanout.remove(session);
    }
}

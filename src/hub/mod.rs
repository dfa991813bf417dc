//! The hub: where every dispatch is published once, after it is stored, and every listener reads from.
//!
//! An event's `d` is serialized once, at publish time, and shared (`Arc<str>`) by every session; per session
//! there is only the audience/permission filter and the write. The domains (chat, voice, admin, the DJ) publish
//! here without knowing who listens: gateway sessions are served by a [`Sink`] the gateway plugs in (its
//! fan-out), and the server's own listeners (voice, the DJ) read a `tokio::sync::broadcast` ring of
//! [`CAPACITY`] events. It sits below every domain that publishes, and imports none of them.

use std::sync::{Arc, OnceLock};

use serde_json::Value;
use tokio::sync::broadcast;

use crate::ids::Snowflake;

pub mod intents;

/// Events buffered for the server's own listeners, and events a session may have waiting for its owner.
pub const CAPACITY: usize = 8192;

/// Who may receive an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every member of the guild.
    Guild(Snowflake),
    /// Members who can view the channel (threads: their parent).
    Channel(Snowflake),
    /// One user.
    User(Snowflake),
    /// These users (the people in a DM or group DM).
    Users(Vec<Snowflake>),
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
    /// Its place in the order of publication (set by the [`Sink`]; 1 is the first event, 0 before).
    serial: u64,
}

impl Event {
    /// Its place in the order of publication (0 until a [`Sink`] numbered it).
    pub fn serial(&self) -> u64 {
        self.serial
    }

    /// Numbers the event (the [`Sink`] does, as it queues it).
    pub fn set_serial(&mut self, serial: u64) {
        self.serial = serial;
    }

    /// An event for `audience` with `data` (a wire object) as its `d`.
    pub fn new(name: &'static str, data: &impl serde::Serialize, audience: Audience, intent: u64) -> Self {
        Self {
            name,
            data: Arc::from(serde_json::to_string(data).expect("wire objects serialize to JSON")),
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

/// Where published events go besides the broadcast ring: the gateway's fan-out. It numbers each event and
/// returns it shared.
pub trait Sink: Send + Sync {
    /// Takes one event, in publication order.
    fn deliver(&self, event: Event) -> Arc<Event>;
}

/// The fan-out point. Cheap to clone.
#[derive(Clone)]
pub struct Hub {
    sender: broadcast::Sender<Arc<Event>>,
    sink: Option<Arc<dyn Sink>>,
}

impl Hub {
    /// A hub that hands every event to `sink` (the gateway's fan-out), then to the server's own listeners.
    pub fn new(sink: Arc<dyn Sink>) -> Self {
        Self {
            sender: broadcast::channel(CAPACITY).0,
            sink: Some(sink),
        }
    }

    /// A hub with no gateway: only the server's own listeners hear it (tests of one domain).
    pub fn detached() -> Self {
        Self {
            sender: broadcast::channel(CAPACITY).0,
            sink: None,
        }
    }

    /// Publishes an event to every gateway session and listener. Call only after the change is stored.
    pub fn publish(&self, event: Event) {
        let event = match &self.sink {
            Some(sink) => sink.deliver(event),
            None => Arc::new(event),
        };
        // No listeners is fine.
        let _ = self.sender.send(event);
    }

    /// A receiver for one of the server's own listeners.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.sender.subscribe()
    }
}

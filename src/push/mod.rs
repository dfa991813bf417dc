//! Web Push: notifications that reach a phone or a closed tab (RFC 8030 delivery, RFC 8291 aes128gcm payload
//! encryption, RFC 8292 VAPID), for DMs and group DMs, mentions and replies, `@everyone` where allowed, every
//! message of a channel someone asked for, and a ringing call.
//!
//! A listener reads the hub like the DJ does. For each new message it asks the chat rules, for each person
//! with a subscription, whether the message notifies them ([`crate::chat::Chat::notifies`]: they can see it,
//! have not blocked the author, and their notification settings let it through), skips people looking at a
//! tab or on Do Not Disturb ([`Attention`]), and queues one encrypted push per subscription (decisions are made
//! in the order messages were published; each push service gets its pushes in that order). A push service that
//! answers 404 or 410 loses the subscription. Delivery goes through the safe client: `https` endpoints on
//! public addresses only, so a hostile subscription cannot make spot contact the home network.

mod deliver;
mod listen;
mod payload;
mod vapid;

use std::sync::{Arc, OnceLock};

use crate::chat::Chat;
use crate::fetch::SafeClient;
use crate::hub::Hub;
use crate::store::{Snowflake, Store, StoreError};

pub use payload::PushPayload;

/// Whether someone is paying attention elsewhere (the gateway knows).
pub trait Attention: Send + Sync {
    /// A connection of theirs is in view (a visible tab).
    fn looking(&self, user: Snowflake) -> bool;
    /// Their status is Do Not Disturb.
    fn do_not_disturb(&self, user: Snowflake) -> bool;
}

/// Push delivery. Cheap to clone.
#[derive(Clone)]
pub struct Push {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    chat: Chat,
    client: SafeClient,
    attention: Arc<dyn Attention>,
    key: OnceLock<vapid::Key>,
    /// `mailto:` or `https:` contact sent to push services in the VAPID claim.
    contact: String,
    /// Where notification links point (`public_url`).
    base_url: String,
    /// One delivery queue per push service.
    queues: deliver::Queues,
}

impl Push {
    /// Push over these handles; nothing is sent until [`Push::start`].
    pub fn new(store: Store, chat: Chat, client: SafeClient, attention: Arc<dyn Attention>, base_url: &str) -> Self {
        let base_url = base_url.trim_end_matches('/').to_owned();
        let contact = if base_url.starts_with("https://") {
            base_url.clone()
        } else {
            "mailto:admin@spot.invalid".to_owned()
        };
        Self {
            inner: Arc::new(Inner {
                store,
                chat,
                client,
                attention,
                key: OnceLock::new(),
                contact,
                base_url,
                queues: deliver::Queues::default(),
            }),
        }
    }

    /// Loads (or, on the first start after an upgrade, creates) the VAPID key and starts the listener.
    pub async fn start(&self, hub: &Hub) -> Result<(), StoreError> {
        let key = vapid::Key::load(&self.inner.store).await?;
        let _ = self.inner.key.set(key);
        tokio::spawn(listen::run(self.clone(), hub.subscribe()));
        Ok(())
    }

    /// The VAPID public key browsers subscribe with (base64url, uncompressed P-256), once started.
    pub fn public_key(&self) -> Option<String> {
        self.inner.key.get().map(vapid::Key::public_base64)
    }

    /// Checks a subscription's endpoint the way delivery will (https, public address), before it is stored.
    pub fn check_endpoint(&self, endpoint: &str) -> Result<(), String> {
        let url = url::Url::parse(endpoint).map_err(|e| e.to_string())?;
        self.inner.client.check_push_endpoint(&url).map_err(|e| e.to_string())
    }
}

/// Creates the VAPID key if it does not exist yet (`spot init`).
pub async fn ensure_key(store: &Store) -> Result<(), StoreError> {
    vapid::Key::load(store).await.map(|_| ())
}

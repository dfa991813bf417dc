//! The registry of live gateway sessions, by session id, for RESUME: each entry is a way to ask whoever holds the
//! session (its connection, or its detached buffering task) to hand it over.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use super::session::{SessionState, TakeRequest};
use crate::config::GatewayConfig;
use crate::store::Snowflake;

struct Entry {
    user_id: Snowflake,
    take: mpsc::Sender<TakeRequest>,
}

/// Live sessions. Cheap to clone.
#[derive(Clone)]
pub struct Sessions {
    inner: Arc<Mutex<HashMap<String, Entry>>>,
    /// How long a dropped session waits for RESUME.
    pub resume_window: Duration,
    /// Dispatches kept per session for replay.
    pub replay_buffer: usize,
    /// Events a connection may fall behind before it is closed (resumably).
    pub outbound_queue: usize,
}

impl Sessions {
    /// An empty registry.
    pub fn new(config: &GatewayConfig) -> Self {
        Self {
            inner: Arc::default(),
            resume_window: config.resume_window.0,
            replay_buffer: config.replay_buffer,
            outbound_queue: config.outbound_queue,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a session.
    pub fn insert(&self, id: &str, user_id: Snowflake, take: mpsc::Sender<TakeRequest>) {
        self.lock().insert(id.to_owned(), Entry { user_id, take });
    }

    /// Takes the session `id` of `user_id` from whoever holds it; `None` if there is no such session.
    pub async fn take(&self, id: &str, user_id: Snowflake) -> Option<SessionState> {
        let take = {
            let map = self.lock();
            let entry = map.get(id).filter(|e| e.user_id == user_id)?;
            entry.take.clone()
        };
        let (reply, state) = oneshot::channel();
        take.send(reply).await.ok()?;
        tokio::time::timeout(Duration::from_secs(5), state).await.ok()?.ok()
    }

    /// Forgets a session.
    pub fn remove(&self, id: &str) {
        self.lock().remove(id);
    }
}

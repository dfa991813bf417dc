//! The registry of live gateway sessions, by session id, for RESUME.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::session::SessionHandle;
use crate::config::GatewayConfig;

/// Live sessions. Cheap to clone.
#[derive(Clone)]
pub struct Sessions {
    inner: Arc<Mutex<HashMap<String, SessionHandle>>>,
    /// How long a dropped session waits for RESUME.
    pub resume_window: Duration,
    /// Frames kept per session for replay.
    pub replay_buffer: usize,
}

impl Sessions {
    /// An empty registry.
    pub fn new(config: &GatewayConfig) -> Self {
        Self {
            inner: Arc::default(),
            resume_window: config.resume_window.0,
            replay_buffer: config.replay_buffer,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, SessionHandle>> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a session.
    pub fn insert(&self, handle: SessionHandle) {
        self.lock().insert(handle.id.clone(), handle);
    }

    /// The session with this id.
    pub fn get(&self, id: &str) -> Option<SessionHandle> {
        self.lock().get(id).cloned()
    }

    /// Forgets a session (its task ended).
    pub fn remove(&self, id: &str) {
        self.lock().remove(id);
    }

    /// How many sessions are live.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no session is live.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

//! The registry of live gateway sessions, by session id, for RESUME.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::session::Session;
use crate::config::GatewayConfig;
use crate::store::Snowflake;

/// Live sessions. Cheap to clone.
#[derive(Clone)]
pub struct Sessions {
    inner: Arc<Mutex<HashMap<String, Arc<Session>>>>,
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

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Session>>> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a session.
    pub fn insert(&self, session: &Arc<Session>) {
        self.lock().insert(session.id.clone(), Arc::clone(session));
    }

    /// The session `id` of `user_id`, if there is one.
    pub fn get(&self, id: &str, user_id: Snowflake) -> Option<Arc<Session>> {
        self.lock().get(id).filter(|s| s.user.id == user_id).cloned()
    }

    /// Revokes the sessions of `user_id` identified with the browser session `credential`, or all of the user's
    /// sessions when it is `None`. Returns how many.
    pub fn revoke(&self, user_id: Snowflake, credential: Option<[u8; 32]>) -> usize {
        let matching: Vec<Arc<Session>> = self
            .lock()
            .values()
            .filter(|s| s.user.id == user_id && (credential.is_none() || s.credential == credential))
            .cloned()
            .collect();
        for session in &matching {
            session.revoke();
        }
        matching.len()
    }

    /// Forgets a session.
    pub fn remove(&self, id: &str) {
        self.lock().remove(id);
    }
}

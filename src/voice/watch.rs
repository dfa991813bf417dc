//! Keeps rooms in step with permissions. After any event that changes who may do what (roles, overwrites, a
//! channel deleted, a member removed), every member in voice is admitted again: without CONNECT (or without the
//! channel) they are disconnected, and their publishing grants follow SPEAK and STREAM as they are now.

use std::sync::Arc;

use tokio::sync::broadcast::error::RecvError;

use super::sfu::protocol::RemoveReason;
use super::{Voice, VoiceError, lock};
use crate::chat::ChatError;

impl Voice {
    /// Starts the task that rechecks rooms after permission-changing events (it ends with the hub).
    pub(super) fn watch_permissions(&self) {
        let mut events = self.inner.hub.subscribe();
        let weak = Arc::downgrade(&self.inner);
        tokio::spawn(async move {
            loop {
                let recheck = match events.recv().await {
                    Ok(event) => event.changes_permissions,
                    Err(RecvError::Lagged(_)) => true,
                    Err(RecvError::Closed) => break,
                };
                let Some(inner) = weak.upgrade() else { break };
                if recheck {
                    Voice { inner }.recheck().await;
                }
            }
        });
    }

    /// Admits everyone in voice again.
    async fn recheck(&self) {
        let states: Vec<_> = lock(&self.inner.table).all().cloned().collect();
        for state in states {
            let user_id = state.user.id;
            match self.admit(&state.user, state.channel_id).await {
                Ok(admission) => {
                    if let Some(sfu) = self.sfu() {
                        sfu.set_grants(user_id, admission.grants);
                    }
                }
                // A store failure says nothing about permissions: leave everyone where they are.
                Err(VoiceError::Chat(ChatError::Store(e))) => {
                    tracing::warn!(error = %e, "voice permission recheck failed");
                    return;
                }
                Err(e) => {
                    tracing::info!(user = user_id, error = %e, "voice member no longer admitted");
                    self.leave_room(user_id, state.channel_id, RemoveReason::Disconnected);
                }
            }
        }
    }
}

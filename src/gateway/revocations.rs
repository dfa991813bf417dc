//! Ends the gateway sessions (and so the voice places) of credentials that ended. The store records every
//! ended credential in `revocations`, whichever process ended it — this server, or `spot user disable` and
//! `spot bot rotate` run beside it, which share only the database — and this task reads new rows a few times
//! a second, so a logout closes its connections within a fraction of a second.

use std::time::Duration;

use super::sessions::Sessions;
use crate::store::Store;

/// How often the revocations table is read. One indexed query on a reader connection.
const POLL_EVERY: Duration = Duration::from_millis(200);

/// Watches for ended credentials until the task is dropped.
pub async fn watch(store: Store, sessions: Sessions) {
    let mut seen = match store.revocations_latest().await {
        Ok(id) => id,
        Err(error) => {
            tracing::error!(%error, "cannot read revocations: ended credentials will not close connections");
            return;
        }
    };
    let mut tick = tokio::time::interval(POLL_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let revoked = match store.revocations_after(seen).await {
            Ok(rows) => rows,
            Err(error) => {
                tracing::warn!(%error, "reading revocations failed");
                continue;
            }
        };
        for revocation in revoked {
            seen = revocation.id;
            let closed = sessions.revoke(revocation.user_id, revocation.session_hash);
            if closed > 0 {
                tracing::info!(
                    user = revocation.user_id,
                    sessions = closed,
                    "credential ended: gateway sessions closed"
                );
            }
        }
    }
}

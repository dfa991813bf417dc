//! Telling open WebSocket connections (the gateway's, voice signaling's) that the server is stopping, and
//! waiting for them to say goodbye. A leaf: it imports no domain module.
//!
//! The HTTP server's graceful shutdown does not track upgraded WebSocket connections, so on SIGTERM every
//! connection is told to close with 1001 (going away) — clients reconnect by themselves — and the server waits
//! briefly for those close frames to go out before it exits.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::watch;

/// The shutdown signal and the count of open WebSocket connections. Cheap to clone.
#[derive(Clone)]
pub struct Shutdown {
    signal: Arc<watch::Sender<bool>>,
    open: Arc<AtomicUsize>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Self {
            signal: Arc::new(watch::channel(false).0),
            open: Arc::default(),
        }
    }
}

/// Counts a connection as open until dropped.
pub struct OpenConnection {
    open: Arc<AtomicUsize>,
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.open.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Shutdown {
    /// Registers a connection: its guard, and a receiver that changes when the server stops.
    pub fn register(&self) -> (OpenConnection, watch::Receiver<bool>) {
        self.open.fetch_add(1, Ordering::SeqCst);
        (
            OpenConnection {
                open: Arc::clone(&self.open),
            },
            self.signal.subscribe(),
        )
    }

    /// Asks every connection to close.
    pub fn trigger(&self) {
        self.signal.send_replace(true);
    }

    /// Waits until every connection has closed, or `limit` passes.
    pub async fn drained(&self, limit: Duration) {
        let deadline = tokio::time::Instant::now() + limit;
        while self.open.load(Ordering::SeqCst) > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

//! [`Gateway`]: the handles the gateway works with, handed over when the server starts — the domains it reads
//! and the registries it owns — never the whole application state.

use std::ops::Deref;
use std::sync::Arc;

use super::fanout::Fanout;
use super::limits::ConnectionLimits;
use super::presence::Presences;
use super::sessions::Sessions;
use super::starts::SessionStarts;
use crate::accounts::Accounts;
use crate::chat::Chat;
use crate::config::Config;
use crate::hub::Hub;
use crate::shutdown::Shutdown;
use crate::store::Store;
use crate::voice::Voice;

/// The gateway's handles. Cheap to clone.
#[derive(Clone)]
pub struct Gateway(Arc<Parts>);

/// What [`Gateway`] holds.
pub struct Parts {
    /// The loaded configuration (`[gateway]` above all).
    pub config: Arc<Config>,
    /// The database (read states, threads, the home guild).
    pub store: Store,
    /// Accounts: who a token or cookie is.
    pub accounts: Accounts,
    /// Chat rules: what a user may see.
    pub chat: Chat,
    /// Where events are published (presence, voice states).
    pub hub: Hub,
    /// Voice rooms (voice state updates, sessions that end).
    pub voice: Voice,
    /// Delivers published events to sessions.
    pub fanout: Arc<Fanout>,
    /// Sessions that can be resumed.
    pub sessions: Sessions,
    /// How often each account may start sessions.
    pub session_starts: Arc<SessionStarts>,
    /// How many connections may be open.
    pub gateway_limits: ConnectionLimits,
    /// Who is online.
    pub presences: Presences,
    /// Stops connections when the server stops.
    pub shutdown: Shutdown,
}

impl Gateway {
    /// The gateway over these handles.
    pub fn new(parts: Parts) -> Self {
        Self(Arc::new(parts))
    }
}

impl Deref for Gateway {
    type Target = Parts;

    fn deref(&self) -> &Parts {
        &self.0
    }
}

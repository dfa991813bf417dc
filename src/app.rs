//! [`AppState`]: the handles every request shares. Each field is cheap to clone; nothing here is a global.

use std::sync::Arc;

use crate::accounts::Accounts;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::store::Store;

/// Shared state of a running server.
#[derive(Clone)]
pub struct AppState {
    /// The loaded configuration.
    pub config: Arc<Config>,
    /// The database.
    pub store: Store,
    /// Account rules (login, sessions, invites).
    pub accounts: Accounts,
    /// The clock rules read.
    pub clock: SharedClock,
}

impl AppState {
    /// State over an opened store.
    pub fn new(config: Config, store: Store, clock: SharedClock) -> Self {
        let accounts = Accounts::new(store.clone(), clock.clone(), config.security.clone());
        Self {
            config: Arc::new(config),
            store,
            accounts,
            clock,
        }
    }
}

//! The admin panel's actions: what an instance admin can do to users, invites, channels, roles, bots and the
//! instance settings, each recorded in the audit log (who, what, when).
//!
//! [`Admin`] checks that the actor is an instance admin itself (the web layer checks too), then acts through the
//! same `accounts` and `chat` rules everyone else goes through, so events are published and permissions stay
//! consistent. It knows nothing of HTTP; `web::admin` renders the pages and maps [`AdminError`]s.

mod instance;
mod people;
mod settings;
mod space;
mod webhooks;

use crate::accounts::{AccountError, Accounts};
use crate::chat::{Chat, ChatError};
use crate::hub::Hub;
use crate::store::{StoreError, User};

pub use instance::MAX_ICON_BYTES;
pub use settings::{InstanceSettings, KEYS, Registration, Settings};
pub use space::Direction;

/// Why an admin action failed.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The actor is not an instance admin.
    #[error("only instance admins can do this")]
    NotAdmin,
    /// Bad input, with a message for the form.
    #[error("{0}")]
    Invalid(String),
    /// An account rule refused it.
    #[error(transparent)]
    Account(#[from] AccountError),
    /// A chat rule refused it.
    #[error(transparent)]
    Chat(#[from] ChatError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Admin actions. Cheap to clone.
#[derive(Clone)]
pub struct Admin {
    store: crate::store::Store,
    accounts: Accounts,
    chat: Chat,
    hub: Hub,
    settings: Settings,
    data_dir: std::path::PathBuf,
}

impl Admin {
    /// Admin actions over the shared handles.
    pub fn new(
        store: crate::store::Store,
        accounts: Accounts,
        chat: Chat,
        hub: Hub,
        settings: Settings,
        data_dir: std::path::PathBuf,
    ) -> Self {
        Self {
            store,
            accounts,
            chat,
            hub,
            settings,
            data_dir,
        }
    }

    /// The current instance settings.
    pub fn settings(&self) -> InstanceSettings {
        self.settings.get()
    }

    fn require(actor: &User) -> Result<(), AdminError> {
        if actor.is_admin && !actor.disabled {
            Ok(())
        } else {
            Err(AdminError::NotAdmin)
        }
    }

    async fn audit(&self, actor: &User, action: &str, target: impl Into<String>, detail: impl Into<String>) {
        let entry = (Some(actor.id), action.to_owned(), target.into(), detail.into());
        if let Err(e) = self.store.audit_record(entry).await {
            tracing::error!(error = %e, action, "could not write the audit log");
        }
    }
}

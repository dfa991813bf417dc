//! Sign-ins in progress, kept in memory on the server between the redirect to the provider and its callback.
//!
//! Each entry is keyed by its random `state` and holds what the callback needs and must not come from the
//! browser: the PKCE verifier, the nonce, the redirect URI, the purpose (sign in, with an optional invite; or
//! link to a signed-in account) and the SHA-256 of a random value in the `spot_oidc` cookie, which ties the
//! sign-in to the browser that started it. An entry is removed when its callback arrives, whatever the outcome,
//! so a state works once; entries expire after `oidc.login_timeout`, and there are at most [`MAX_PENDING`].
//! Keeping this server-side (rather than in a signed cookie) makes single use trivial and keeps the verifier
//! off the client; a restart forgets sign-ins in progress, which only means starting again.

use std::collections::HashMap;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::clock::Millis;
use crate::store::Snowflake;

/// Most sign-ins in progress at once; beyond it new ones are refused until some finish or expire.
pub const MAX_PENDING: usize = 10_000;

/// What a sign-in is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// Sign in (or create an account, per policy or with the invite).
    SignIn {
        /// An invite code the account may be created with.
        invite: Option<String>,
    },
    /// Link the identity to this signed-in account.
    Link {
        /// The account.
        user_id: Snowflake,
    },
}

/// One sign-in in progress.
#[derive(Debug, Clone)]
pub struct Pending {
    /// The provider's name.
    pub provider: String,
    /// What it is for.
    pub purpose: Purpose,
    /// SHA-256 of the `spot_oidc` cookie value of the browser that started it.
    pub browser: [u8; 32],
    /// The PKCE verifier.
    pub verifier: String,
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// The redirect URI sent to the provider (the token request must repeat it).
    pub redirect_uri: String,
    /// When it is forgotten.
    pub expires_at: Millis,
}

/// The sign-ins in progress.
#[derive(Default)]
pub struct PendingLogins {
    entries: Mutex<HashMap<String, Pending>>,
}

/// SHA-256 of a browser-binding cookie value.
pub fn browser_hash(value: &str) -> [u8; 32] {
    Sha256::digest(value.as_bytes()).into()
}

impl PendingLogins {
    /// Remembers a sign-in under `state`; `false` when [`MAX_PENDING`] unexpired sign-ins are in progress.
    pub fn insert(&self, state: String, pending: Pending, now: Millis) -> bool {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= MAX_PENDING {
            entries.retain(|_, p| p.expires_at > now);
        }
        if entries.len() >= MAX_PENDING {
            return false;
        }
        entries.insert(state, pending);
        true
    }

    /// Removes and returns the sign-in for `state`, if it exists and has not expired.
    pub fn take(&self, state: &str, now: Millis) -> Option<Pending> {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.remove(state).filter(|p| p.expires_at > now)
    }

    /// Forgets expired sign-ins.
    pub fn prune(&self, now: Millis) {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.retain(|_, p| p.expires_at > now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(expires_at: Millis) -> Pending {
        Pending {
            provider: "idp".into(),
            purpose: Purpose::SignIn { invite: None },
            browser: browser_hash("b"),
            verifier: "v".into(),
            nonce: "n".into(),
            redirect_uri: "http://x/cb".into(),
            expires_at,
        }
    }

    #[test]
    fn states_work_once_and_expire() {
        let logins = PendingLogins::default();
        assert!(logins.insert("s1".into(), pending(100), 0));
        assert!(logins.insert("s2".into(), pending(100), 0));
        assert!(logins.take("s1", 50).is_some());
        assert!(logins.take("s1", 50).is_none(), "a state works once");
        assert!(logins.take("s2", 100).is_none(), "expired");
        assert!(logins.take("nope", 0).is_none());
    }

    #[test]
    fn the_number_in_progress_is_bounded() {
        let logins = PendingLogins::default();
        for i in 0..MAX_PENDING {
            assert!(logins.insert(format!("s{i}"), pending(100), 0));
        }
        assert!(!logins.insert("one more".into(), pending(100), 0));
        // Once the others expire there is room again.
        assert!(logins.insert("later".into(), pending(300), 200));
    }
}

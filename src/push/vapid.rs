//! The instance's VAPID key (RFC 8292): an ES256 key pair made once and kept in the database, so backups keep
//! it and browsers' subscriptions stay valid across restarts and upgrades.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike as _, ES256KeyPair};

use crate::store::{Store, StoreError};

/// The key pair.
pub(super) struct Key {
    pub(super) pair: ES256KeyPair,
}

impl Key {
    /// The stored key, made and stored first if there is none.
    pub(super) async fn load(store: &Store) -> Result<Self, StoreError> {
        let bytes = store
            .instance_key("vapid", || ES256KeyPair::generate().to_bytes())
            .await?;
        let pair = ES256KeyPair::from_bytes(&bytes)
            .map_err(|e| StoreError::Corrupt(format!("the stored VAPID key is unusable: {e}")))?;
        Ok(Self { pair })
    }

    /// The public key as browsers take it (`applicationServerKey`).
    pub(super) fn public_base64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.pair.public_key().public_key().to_bytes_uncompressed())
    }
}

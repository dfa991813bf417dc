//! The instance's VAPID key (RFC 8292): an ES256 key pair made once and kept in the database, so backups keep
//! it and browsers' subscriptions stay valid across restarts and upgrades.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use web_push_native::jwt_simple::algorithms::{ECDSAP256KeyPairLike as _, ECDSAP256PublicKeyLike as _, ES256KeyPair};
use web_push_native::jwt_simple::claims::Claims;
use web_push_native::jwt_simple::prelude::Duration;

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

    /// The `Authorization` header for a push to `endpoint`: an ES256 JWT for the endpoint's origin (with its
    /// port when it is not the default: RFC 8292's audience is the origin), valid 12 hours, with our contact.
    pub(super) fn authorization(&self, endpoint: &url::Url, contact: &str) -> Result<String, String> {
        let claims = Claims::create(Duration::from_hours(12))
            .with_audience(endpoint.origin().ascii_serialization())
            .with_subject(contact);
        let token = self.pair.sign(claims).map_err(|e| e.to_string())?;
        Ok(format!("vapid t={token}, k={}", self.public_base64()))
    }

    /// The public key as browsers take it (`applicationServerKey`).
    pub(super) fn public_base64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.pair.public_key().public_key().to_bytes_uncompressed())
    }
}

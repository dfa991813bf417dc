//! Voice tokens of the embedded backend: what VOICE_SERVER_UPDATE hands a joiner and the signaling WebSocket
//! checks. A token is `base64url(claims JSON) "." base64url(HMAC-SHA256)`, keyed by the instance secret, bound to
//! one user, one channel and the publishing grants computed at join time, and valid for `voice.token_ttl`.

use crate::crypto::{constant_time_eq, hmac_sha256};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::store::Snowflake;

/// What a member may publish in a room (from CONNECT/SPEAK/STREAM at join time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grants {
    /// May send audio (SPEAK).
    pub audio: bool,
    /// May send camera video and screenshare (STREAM).
    pub video: bool,
}

/// The signed content of a voice token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceClaims {
    /// The user.
    #[serde(rename = "u")]
    pub user_id: Snowflake,
    /// The voice channel (the room).
    #[serde(rename = "c")]
    pub channel_id: Snowflake,
    /// What the user may publish.
    #[serde(rename = "g")]
    pub grants: Grants,
    /// Expiry, milliseconds since the epoch.
    #[serde(rename = "e")]
    pub expires_ms: Millis,
    /// Random, so two tokens for the same join differ.
    #[serde(rename = "n")]
    pub nonce: String,
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not a token spot issued (bad shape or signature).
    #[error("the voice token is not valid")]
    Invalid,
    /// A genuine token past its expiry.
    #[error("the voice token has expired")]
    Expired,
}

/// Issues and checks voice tokens.
#[derive(Clone)]
pub struct VoiceTokens {
    key: [u8; 32],
}

impl std::fmt::Debug for VoiceTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VoiceTokens(…)")
    }
}

impl VoiceTokens {
    /// Tokens keyed by a key derived from the instance secret (so a voice token is never a CSRF token).
    pub fn new(instance_secret: &str) -> Self {
        Self {
            key: hmac_sha256(instance_secret.as_bytes(), &[b"spot-voice-token\0"]),
        }
    }

    fn sign(&self, body: &str) -> [u8; 32] {
        hmac_sha256(&self.key, &[body.as_bytes()])
    }

    /// The token for `claims`.
    pub fn issue(&self, claims: &VoiceClaims) -> String {
        let json = serde_json::to_vec(claims).expect("claims serialize");
        let body = URL_SAFE_NO_PAD.encode(json);
        let signature = URL_SAFE_NO_PAD.encode(self.sign(&body));
        format!("{body}.{signature}")
    }

    /// The claims of a genuine, unexpired token.
    pub fn verify(&self, token: &str, now_ms: Millis) -> Result<VoiceClaims, TokenError> {
        let (body, signature) = token.split_once('.').ok_or(TokenError::Invalid)?;
        let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| TokenError::Invalid)?;
        if !constant_time_eq(&self.sign(body), &signature) {
            return Err(TokenError::Invalid);
        }
        let json = URL_SAFE_NO_PAD.decode(body).map_err(|_| TokenError::Invalid)?;
        let claims: VoiceClaims = serde_json::from_slice(&json).map_err(|_| TokenError::Invalid)?;
        if claims.expires_ms <= now_ms {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(expires_ms: Millis) -> VoiceClaims {
        VoiceClaims {
            user_id: 7,
            channel_id: 9,
            grants: Grants {
                audio: true,
                video: false,
            },
            expires_ms,
            nonce: "n".into(),
        }
    }

    #[test]
    fn round_trip_expiry_and_forgery() {
        let tokens = VoiceTokens::new("0123456789abcdef0123456789abcdef");
        let token = tokens.issue(&claims(1_000));
        assert_eq!(tokens.verify(&token, 999), Ok(claims(1_000)));
        assert_eq!(tokens.verify(&token, 1_000), Err(TokenError::Expired));
        let other = VoiceTokens::new("another secret, also long enough!!");
        assert_eq!(other.verify(&token, 0), Err(TokenError::Invalid));
        // Changing the claims without the key breaks the signature.
        let (_, signature) = token.split_once('.').unwrap();
        let forged_body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims(9_999_999)).unwrap());
        assert_eq!(
            tokens.verify(&format!("{forged_body}.{signature}"), 0),
            Err(TokenError::Invalid)
        );
        for garbage in ["", ".", "abc", "a.b.c", "%%%.%%%"] {
            assert_eq!(tokens.verify(garbage, 0), Err(TokenError::Invalid));
        }
    }
}

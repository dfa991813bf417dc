//! Secrets handed to browsers: session tokens (32 bytes from the OS CSPRNG, stored only as SHA-256) and CSRF
//! tokens (an HMAC of the session under the instance secret, so they cannot be forged or moved between sessions).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// A session token as it appears in the cookie. Never logged, never stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(…)")
    }
}

impl SessionToken {
    /// A fresh random token.
    pub fn generate() -> Self {
        Self(random_token())
    }

    /// Reads a token from a cookie value; `None` unless it has the exact shape spot issues.
    pub fn parse(value: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(value).ok()?;
        (bytes.len() == 32).then(|| Self(value.to_owned()))
    }

    /// The cookie value.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database stores: SHA-256 of the token's 32 bytes.
    pub fn hash(&self) -> [u8; 32] {
        let bytes = URL_SAFE_NO_PAD.decode(&self.0).unwrap_or_default();
        Sha256::digest(bytes).into()
    }
}

/// A new bot token in Discord's shape, `base64(user id).tag.secret`: libraries such as hikari read the bot's id
/// from the first part. Only the secret (32 random bytes) makes it hard to guess.
pub fn bot_token(user_id: i64) -> String {
    let id = base64::engine::general_purpose::STANDARD_NO_PAD.encode(user_id.to_string());
    format!("{id}.{}.{}", random_code(6), random_token())
}

/// What the database stores for a bot token: its SHA-256.
pub fn hash_bot_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The CSRF token bound to a session: HMAC-SHA256(secret, "csrf" ‖ session hash).
pub fn csrf_for_session(secret: &str, session_hash: &[u8; 32]) -> String {
    URL_SAFE_NO_PAD.encode(crate::crypto::hmac_sha256(
        secret.as_bytes(),
        &[b"spot-csrf\0", session_hash],
    ))
}

pub use crate::crypto::{random_code, random_token};

/// Compares two secrets in constant time.
pub fn secrets_equal(a: &str, b: &str) -> bool {
    crate::crypto::constant_time_eq(a.as_bytes(), b.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bot_tokens_carry_the_bot_id_first_as_discords_do() {
        let token = bot_token(1_234_567_890_123_456_789);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let id = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(parts[0])
            .unwrap();
        assert_eq!(id, b"1234567890123456789");
        assert_ne!(bot_token(1), bot_token(1));
    }

    #[test]
    fn tokens_round_trip_and_reject_junk() {
        let token = SessionToken::generate();
        assert_eq!(token.as_str().len(), 43);
        assert_eq!(SessionToken::parse(token.as_str()), Some(token.clone()));
        assert_eq!(SessionToken::parse("short"), None);
        assert!(SessionToken::parse(&"A".repeat(43)).is_some());
        assert_ne!(token.hash(), SessionToken::generate().hash());
    }

    #[test]
    fn csrf_depends_on_secret_and_session() {
        let a = csrf_for_session("s1", &[1; 32]);
        assert_ne!(a, csrf_for_session("s2", &[1; 32]));
        assert_ne!(a, csrf_for_session("s1", &[2; 32]));
        assert!(secrets_equal(&a, &csrf_for_session("s1", &[1; 32])));
    }

    #[test]
    fn codes_use_the_alphabet() {
        let code = random_code(200);
        assert_eq!(code.len(), 200);
        assert!(code.chars().all(|c| c.is_ascii_alphanumeric() && !"0O1lIo".contains(c)));
    }
}

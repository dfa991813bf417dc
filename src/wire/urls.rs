//! The URLs spot hands out in wire objects: absolute (from `server.public_url`, or the address spot listens on),
//! and for attachments signed and expiring as Discord's are (`?ex=…&is=…&hm=…`), so a library downloads a file
//! with a plain GET — no token, as on Discord's CDN — while nobody who never had the message can guess one.

use std::sync::Arc;

use crate::clock::SharedClock;
use crate::crypto::{constant_time_eq, hmac_sha256};
use crate::store::Snowflake;

/// How long a signed attachment link works (Discord's last 24 hours too).
const VALID_FOR_SECONDS: i64 = 24 * 60 * 60;

/// Makes and checks the URLs spot hands out. Cheap to clone.
#[derive(Clone)]
pub struct Urls {
    base: Arc<str>,
    key: [u8; 32],
    clock: SharedClock,
}

/// The query of a signed attachment link.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Signature {
    /// Expiry, Unix seconds in hex.
    pub ex: Option<String>,
    /// Issue time, Unix seconds in hex.
    pub is: Option<String>,
    /// The signature, hex.
    pub hm: Option<String>,
}

impl Urls {
    /// URLs under `base` (no trailing slash), signed with a key derived from the instance `secret`.
    pub fn new(base: &str, secret: &str, clock: SharedClock) -> Self {
        Self {
            base: Arc::from(base.trim_end_matches('/')),
            key: hmac_sha256(secret.as_bytes(), &[b"spot-attachment-links\0"]),
            clock,
        }
    }

    /// The base every URL starts with.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn sign(&self, channel_id: Snowflake, attachment_id: Snowflake, ex: &str, is: &str) -> String {
        let (channel, attachment) = (channel_id.to_string(), attachment_id.to_string());
        let mac = hmac_sha256(
            &self.key,
            &[channel.as_bytes(), attachment.as_bytes(), ex.as_bytes(), is.as_bytes()],
        );
        hex::encode(&mac[..16])
    }

    /// The download link of an attachment, valid for a day from now.
    pub fn attachment(&self, channel_id: Snowflake, attachment_id: Snowflake, filename: &str) -> String {
        let now = self.clock.now_ms() / 1000;
        let (ex, is) = (format!("{:x}", now + VALID_FOR_SECONDS), format!("{now:x}"));
        let hm = self.sign(channel_id, attachment_id, &ex, &is);
        format!(
            "{}/attachments/{channel_id}/{attachment_id}/{}?ex={ex}&is={is}&hm={hm}",
            self.base,
            super::urlencode(filename)
        )
    }

    /// Whether `signature` is a valid, unexpired signature for this attachment.
    pub fn verify(&self, channel_id: Snowflake, attachment_id: Snowflake, signature: &Signature) -> bool {
        let (Some(ex), Some(is), Some(hm)) = (&signature.ex, &signature.is, &signature.hm) else {
            return false;
        };
        let Ok(expiry) = i64::from_str_radix(ex, 16) else {
            return false;
        };
        let expected = self.sign(channel_id, attachment_id, ex, is);
        constant_time_eq(expected.as_bytes(), hm.as_bytes()) && self.clock.now_ms() / 1000 < expiry
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::clock::ManualClock;

    fn query(url: &str) -> Signature {
        serde_urlencoded::from_str(url.split_once('?').unwrap().1).unwrap()
    }

    #[test]
    fn signed_links_work_for_their_file_until_they_expire() {
        let clock = Arc::new(ManualClock::new(1_800_000_000_000));
        let urls = Urls::new(
            "https://chat.example.org/",
            "a secret that is long enough for this",
            clock.clone(),
        );
        let url = urls.attachment(1, 2, "a b.png");
        assert!(
            url.starts_with("https://chat.example.org/attachments/1/2/a%20b.png?ex="),
            "{url}"
        );
        let signature = query(&url);
        assert!(urls.verify(1, 2, &signature));
        assert!(!urls.verify(1, 3, &signature), "another file");
        assert!(!urls.verify(9, 2, &signature), "another channel");
        let mut forged = signature.clone();
        forged.ex = Some("ffffffffff".into());
        assert!(!urls.verify(1, 2, &forged), "a longer expiry");
        let other = Urls::new(
            "https://chat.example.org",
            "another secret that is long enough too",
            clock.clone(),
        );
        assert!(!other.verify(1, 2, &signature), "another instance's key");
        assert!(!urls.verify(1, 2, &Signature::default()));
        clock.advance(24 * 60 * 60 * 1000);
        assert!(!urls.verify(1, 2, &signature), "expired");
    }
}

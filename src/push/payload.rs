//! What a push carries: only what the notification shows (a title, a line of text, where a click goes), as the
//! service worker reads it. Encrypted before it leaves (`deliver.rs`).

use serde::Serialize;

/// The decrypted payload the service worker receives.
#[derive(Debug, Clone, Serialize)]
pub struct PushPayload {
    /// `message` or `call`.
    pub kind: &'static str,
    /// Who, and where ("alice (#general)", "Weekend plans").
    pub title: String,
    /// The message's first 200 characters, or what happened.
    pub body: String,
    /// Notifications with the same tag replace each other (one per channel).
    pub tag: String,
    /// What a click opens (an absolute URL of the web client).
    pub url: String,
    /// The sender's avatar, if any.
    pub icon: Option<String>,
    /// When it happened (ms since the Unix epoch).
    pub timestamp: i64,
}

/// The longest body, in characters.
const BODY_CHARS: usize = 200;

/// `text` cut to [`BODY_CHARS`] characters with an ellipsis.
pub(super) fn shorten(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= BODY_CHARS {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(BODY_CHARS - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn bodies_are_short() {
        assert_eq!(shorten("  hi  "), "hi");
        let long = "é".repeat(500);
        let short = shorten(&long);
        assert_eq!(short.chars().count(), 200);
        assert!(short.ends_with('…'));
    }
}

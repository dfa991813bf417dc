//! `[fetch]` (the one HTTP client that reaches out to URLs members chose) and `[previews]` (link unfurling and
//! the media proxy). Kept apart from `mod.rs` because they grow together.

use serde::{Deserialize, Serialize};

use super::HumanDuration;

/// `[fetch]`: the safe HTTP client used for link previews, the media proxy and (later) the DJ's URLs.
///
/// Whatever is set here, the client never connects to loopback, private, link-local, CGNAT, multicast,
/// documentation or other non-public addresses; these keys can only narrow what it reaches or widen ports.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FetchConfig {
    /// TCP ports URLs may name besides the scheme's default (80 for http, 443 for https).
    pub allowed_ports: Vec<u16>,
    /// When not empty, only these hosts (and their subdomains) are fetched.
    pub allow_hosts: Vec<String>,
    /// Hosts (and their subdomains) never fetched.
    pub deny_hosts: Vec<String>,
    /// Time allowed to resolve and connect to a host.
    pub connect_timeout: HumanDuration,
    /// Time allowed for one whole request, body included.
    pub timeout: HumanDuration,
    /// Redirects followed (each hop is checked again); at most 5.
    pub max_redirects: usize,
}

impl Default for FetchConfig {
    fn default() -> Self {
        Self {
            allowed_ports: Vec::new(),
            allow_hosts: Vec::new(),
            deny_hosts: Vec::new(),
            connect_timeout: HumanDuration::from_secs(5),
            timeout: HumanDuration::from_secs(10),
            max_redirects: 5,
        }
    }
}

/// `[previews]`: link previews (embeds unfurled from URLs in messages) and the image proxy that serves them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PreviewsConfig {
    /// Unfurl links in messages at all.
    pub enabled: bool,
    /// How long a fetched preview (or the fact that a URL has none) is reused before it is fetched again.
    pub cache_ttl: HumanDuration,
    /// Most links unfurled per message.
    pub max_links_per_message: usize,
    /// Most bytes of an HTML page read when looking for its preview.
    pub max_html_bytes: usize,
    /// Largest image the media proxy fetches and serves, in bytes.
    pub max_image_bytes: usize,
    /// Pages unfurled at the same time, across all messages.
    pub concurrency: usize,
}

impl Default for PreviewsConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            cache_ttl: HumanDuration::from_secs(24 * 3600),
            max_links_per_message: 5,
            max_html_bytes: 1024 * 1024,
            max_image_bytes: 8 * 1024 * 1024,
            concurrency: 4,
        }
    }
}

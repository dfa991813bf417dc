//! The one configuration struct: built-in defaults, overridden by `spot.toml`, overridden by `SPOT_*` variables.
//!
//! Every key is documented here and in `spot.example.toml`. Loading ([`load`]) turns every problem — an
//! unknown key, a bad value, a missing secret — into one [`ConfigError`] whose `Display` is a single line naming
//! the key and what is wrong. Nothing else in the crate reads the environment or the config file.

mod duration;
mod env;
mod load;
mod net;
mod oidc;
mod outbound;
mod voice;

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use duration::HumanDuration;
pub use load::{ConfigError, load, load_from_str};
pub use net::IpRange;
pub use oidc::{AccountPolicy, OidcConfig, ProviderConfig};
pub use outbound::{FetchConfig, PreviewsConfig};
pub use voice::{IceServer, VoiceBackend, VoiceConfig};

/// The environment variable that lets a test suite reach its fixture server on `127.0.0.1:<port>`. It is not a
/// configuration key (`spot.toml` cannot set it) and spot logs a warning at start-up when it is set.
pub const TEST_ALLOWANCE_VAR: &str = "SPOT_TEST_ONLY_UNSAFE_FETCH_LOOPBACK_PORT";

/// Who may create an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Registration {
    /// Admins create accounts and hand out invites (the default).
    Invites,
    /// Only admins create accounts; invite links stop working.
    Closed,
}

impl Registration {
    /// The name used in forms and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Registration::Invites => "invites",
            Registration::Closed => "closed",
        }
    }
}

/// The whole configuration of one spot instance.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where and how the server listens.
    pub server: ServerConfig,
    /// Secrets, sessions and login limits.
    pub security: SecurityConfig,
    /// Chat limits.
    pub chat: ChatConfig,
    /// REST API rate limits.
    pub api: ApiConfig,
    /// Gateway (WebSocket) behaviour.
    pub gateway: GatewayConfig,
    /// The HTTP client that fetches URLs members chose.
    pub fetch: FetchConfig,
    /// Link previews and the media proxy.
    pub previews: PreviewsConfig,
    /// Single sign-on with OpenID Connect.
    pub oidc: OidcConfig,
    /// The DJ and its music library.
    pub music: MusicConfig,
    /// Voice and video rooms.
    pub voice: VoiceConfig,
    /// Logging.
    pub log: LogConfig,
}

/// `[chat]`: limits on what members post.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChatConfig {
    /// Longest message, in characters (Discord: 2000).
    pub max_message_length: usize,
    /// Largest file upload, in bytes.
    pub max_upload_bytes: usize,
    /// Most custom emoji in the space.
    pub max_emojis: usize,
    /// Most stickers in the space.
    pub max_stickers: usize,
    /// Most soundboard sounds in the space.
    pub max_sounds: usize,
    /// How long a member waits between two soundboard sounds.
    pub sound_cooldown: HumanDuration,
}

impl Default for ChatConfig {
    fn default() -> Self {
        Self {
            max_message_length: 2000,
            max_upload_bytes: 25 * 1024 * 1024,
            max_emojis: 200,
            max_stickers: 60,
            max_sounds: 48,
            sound_cooldown: HumanDuration::from_secs(2),
        }
    }
}

/// `[api]`: Discord-style REST rate limits, per user (or bot) and route.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiConfig {
    /// Requests allowed per route bucket (method + route + channel or guild) in each window.
    pub route_limit: u32,
    /// The window of `route_limit`.
    pub route_window: HumanDuration,
    /// Requests allowed per second across all routes (the global limit).
    pub global_per_second: u32,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            route_limit: 10,
            route_window: HumanDuration::from_secs(5),
            global_per_second: 50,
        }
    }
}

/// `[gateway]`: the Discord gateway.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatewayConfig {
    /// Heartbeat interval sent in HELLO, in milliseconds (Discord: 41250).
    pub heartbeat_interval_ms: u64,
    /// Commands a connection may send per minute before it is closed with 4008 (Discord: 120).
    pub commands_per_minute: u32,
    /// Allow bots the privileged intents (message content, members, presences) without approval.
    pub privileged_intents: bool,
    /// How long a dropped session can be resumed.
    pub resume_window: HumanDuration,
    /// Dispatches kept per session for replay on resume.
    pub replay_buffer: usize,
    /// Dispatches queued per connection before a slow client is disconnected (resumable).
    pub outbound_queue: usize,
    /// A connection that has not sent IDENTIFY or RESUME within this time is closed with 4003.
    pub identify_timeout: HumanDuration,
    /// Most open gateway connections; more are refused with 503. 0: the open-files limit minus 256 kept for
    /// requests, the database and uploads.
    pub max_connections: usize,
    /// Most connections one address may hold before they identify; more are refused with 429.
    pub max_unidentified_per_ip: usize,
    /// Sessions one account may start (IDENTIFY) in a burst, then `identifies_per_minute`; beyond, the
    /// IDENTIFY is answered with INVALID_SESSION.
    pub identify_burst: u32,
    /// The refill of `identify_burst`.
    pub identifies_per_minute: u32,
    /// Sessions a bot may start per day (Discord's `session_start_limit`, reported by `GET /gateway/bot`).
    pub bot_sessions_per_day: u32,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        Self {
            heartbeat_interval_ms: 41_250,
            commands_per_minute: 120,
            privileged_intents: true,
            resume_window: HumanDuration::from_secs(180),
            replay_buffer: 1000,
            outbound_queue: 1024,
            identify_timeout: HumanDuration::from_secs(20),
            max_connections: 0,
            max_unidentified_per_ip: 256,
            identify_burst: 30,
            identifies_per_minute: 60,
            bot_sessions_per_day: 1000,
        }
    }
}

/// `[server]`: where and how the server listens.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address and port to listen on, e.g. `0.0.0.0:8080`. Port 0 picks a free port (printed at start).
    pub listen: SocketAddr,
    /// The URL people use to reach this instance, e.g. `https://chat.example.org`. Used in invite links;
    /// when it starts with `https://`, cookies get the `Secure` flag. Empty: derived from each request.
    pub public_url: String,
    /// Reverse proxies (IP addresses or CIDR ranges) whose `X-Forwarded-For` and `X-Forwarded-Proto` headers
    /// are believed. Requests from anywhere else have those headers ignored.
    pub trusted_proxies: Vec<IpRange>,
    /// Directory holding the database, uploads and the lock file. Relative paths are relative to the
    /// directory of the config file.
    pub data_dir: PathBuf,
    /// The name shown on the login page and as the home space's name at `spot init`.
    pub instance_name: String,
    /// Largest request body accepted, in bytes (uploads have their own limit).
    pub max_body_bytes: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([0, 0, 0, 0], 8080)),
            public_url: String::new(),
            trusted_proxies: Vec::new(),
            data_dir: PathBuf::from("data"),
            instance_name: "spot".to_owned(),
            max_body_bytes: 1024 * 1024,
        }
    }
}

/// `[security]`: secrets, sessions and login limits.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecurityConfig {
    /// Random secret (at least 32 characters) that keys CSRF tokens. `spot init` generates one; changing it
    /// invalidates open forms but not sessions.
    pub secret: String,
    /// Who may create an account: `invites` (admins create accounts and hand out invites) or `closed` (only
    /// admins create accounts). The admin panel can change it at run time.
    pub registration: Registration,
    /// How long a login lasts before the user must sign in again, e.g. `30d`, `12h`.
    pub session_ttl: HumanDuration,
    /// How long an invite made without `--expires` stays valid, e.g. `7d`.
    pub invite_ttl: HumanDuration,
    /// Login attempts allowed per client IP address per minute (sustained rate).
    pub login_ip_per_minute: u32,
    /// Login attempts a client IP address may make in a burst before the per-minute rate applies.
    pub login_ip_burst: u32,
    /// Login attempts allowed per username per minute, from all addresses together.
    pub login_user_per_minute: u32,
    /// Login attempts a username may receive in a burst before the per-minute rate applies.
    pub login_user_burst: u32,
}

impl Default for SecurityConfig {
    fn default() -> Self {
        Self {
            secret: String::new(),
            registration: Registration::Invites,
            session_ttl: HumanDuration::from_secs(30 * 24 * 3600),
            invite_ttl: HumanDuration::from_secs(7 * 24 * 3600),
            login_ip_per_minute: 10,
            login_ip_burst: 10,
            login_user_per_minute: 5,
            login_user_burst: 5,
        }
    }
}

/// `[music]`: the DJ and its music library.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MusicConfig {
    /// Run the DJ at all.
    pub enabled: bool,
    /// Folders scanned for music (`spot music scan`), relative to this file's directory.
    pub library: Vec<PathBuf>,
    /// What DJ commands start with.
    pub prefix: String,
    /// The DJ's username (a bot account created on first start).
    pub dj_name: String,
    /// A PNG, JPEG, GIF or WebP image (at most 512 KiB) for the DJ's avatar, relative to this file's directory;
    /// empty: none (its initial on a colour).
    pub dj_avatar: PathBuf,
    /// Members with a role of this name (and admins) may use forceskip, clear, stop and volume over 100.
    pub dj_role: String,
    /// Largest audio file played from a URL, in bytes (live streams have no size and play until skipped).
    pub max_url_bytes: u64,
    /// Longest track accepted.
    pub max_track: HumanDuration,
}

impl Default for MusicConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            library: Vec::new(),
            prefix: "!".to_owned(),
            dj_name: "dj".to_owned(),
            dj_avatar: PathBuf::new(),
            dj_role: "DJ".to_owned(),
            max_url_bytes: 200 * 1024 * 1024,
            max_track: HumanDuration::from_secs(3 * 3600),
        }
    }
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// `[log]`: logging.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// Filter in `tracing` syntax: `info`, `debug`, `spot=debug,tower_http=warn`, …
    pub level: String,
    /// `text` or `json`.
    pub format: LogFormat,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            level: "info".to_owned(),
            format: LogFormat::Text,
        }
    }
}

impl Config {
    /// Whether the instance is configured to be reached over TLS (`public_url` is https).
    pub fn public_url_is_https(&self) -> bool {
        self.server.public_url.starts_with("https://")
    }

    /// The database file inside the data directory.
    pub fn database_path(&self) -> PathBuf {
        self.server.data_dir.join("spot.db")
    }

    /// The lock file a running server holds, so `spot restore` can refuse to run under it.
    pub fn lock_path(&self) -> PathBuf {
        self.server.data_dir.join("spot.lock")
    }
}

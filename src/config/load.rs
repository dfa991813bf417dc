//! Reading and validating the configuration: defaults < `spot.toml` < `SPOT_*` variables.

use std::path::{Path, PathBuf};

use thiserror::Error;
use toml::{Table, Value};

use super::{Config, env};

/// Why the configuration could not be loaded. `Display` is one line that names the problem.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("cannot read config file {path}: {message}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the OS said, with a hint.
        message: String,
    },
    /// The config file is not valid TOML or has a bad key or value.
    #[error("{path} line {line}: {message}")]
    File {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A `SPOT_*` variable is unknown or has a bad value.
    #[error("environment variable {var}: {message}")]
    Env {
        /// The variable name.
        var: String,
        /// What is wrong.
        message: String,
    },
    /// A value is well-formed but not acceptable.
    #[error("config key {key}: {message}")]
    Invalid {
        /// `section.key`.
        key: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A key of one `[oidc.providers.<name>]` table is not acceptable.
    #[error("config key oidc.providers.{name}.{key}: {message}")]
    Provider {
        /// The provider's name.
        name: String,
        /// The key inside the provider's table.
        key: &'static str,
        /// What is wrong.
        message: String,
    },
}

/// Loads the config file at `path`, applies the process's `SPOT_*` variables and validates the result.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
        path: path.to_owned(),
        message: if e.kind() == std::io::ErrorKind::NotFound {
            "not found (run `spot init` first, or pass --config)".to_owned()
        } else {
            e.to_string()
        },
    })?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    load_from_str(&text, path, dir, std::env::vars())
}

/// Loads a config from `text` (named `origin` in errors) with relative paths resolved against `dir`.
pub fn load_from_str(
    text: &str,
    origin: &Path,
    dir: &Path,
    vars: impl IntoIterator<Item = (String, String)>,
) -> Result<Config, ConfigError> {
    // Parse the file alone first so that its errors carry a line number.
    toml::from_str::<Config>(text).map_err(|e| file_error(origin, text, &e))?;
    let mut table: Table = toml::from_str(text).map_err(|e| file_error(origin, text, &e))?;
    let defaults = match Value::try_from(Config::default()) {
        Ok(Value::Table(t)) => t,
        _ => unreachable!("the default config serializes to a table"),
    };
    env::apply(&mut table, vars, &defaults)?;
    let mut config: Config = Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| ConfigError::Env {
            var: "SPOT_*".to_owned(),
            message: e.message().to_owned(),
        })?;
    for folder in &mut config.music.library {
        if folder.is_relative() {
            *folder = dir.join(&folder);
        }
    }
    if !config.music.dj_avatar.as_os_str().is_empty() && config.music.dj_avatar.is_relative() {
        config.music.dj_avatar = dir.join(&config.music.dj_avatar);
    }
    if config.server.data_dir.is_relative() {
        config.server.data_dir = dir.join(&config.server.data_dir);
    }
    validate(&config)?;
    Ok(config)
}

fn file_error(origin: &Path, text: &str, error: &toml::de::Error) -> ConfigError {
    let line = error
        .span()
        .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1)
        .unwrap_or(1);
    ConfigError::File {
        path: origin.to_owned(),
        line,
        message: error.message().trim().replace('\n', " "),
    }
}

fn validate(config: &Config) -> Result<(), ConfigError> {
    let invalid = |key, message: &str| {
        Err(ConfigError::Invalid {
            key,
            message: message.to_owned(),
        })
    };
    if config.security.secret.len() < 32 {
        return invalid(
            "security.secret",
            "must be at least 32 characters (`spot init` writes a random one)",
        );
    }
    let url = &config.server.public_url;
    if !url.is_empty() {
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
        match rest {
            Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => {}
            _ => {
                return invalid("server.public_url", "must be empty or an http:// or https:// URL");
            }
        }
    }
    if tracing_subscriber::EnvFilter::try_new(&config.log.level).is_err() {
        return invalid("log.level", "is not a log filter such as `info` or `spot=debug`");
    }
    let limits = [
        ("security.login_ip_per_minute", config.security.login_ip_per_minute),
        ("security.login_ip_burst", config.security.login_ip_burst),
        ("security.login_user_per_minute", config.security.login_user_per_minute),
        ("security.login_user_burst", config.security.login_user_burst),
    ];
    let more = [
        ("api.route_limit", config.api.route_limit),
        ("api.global_per_second", config.api.global_per_second),
        ("gateway.commands_per_minute", config.gateway.commands_per_minute),
        (
            "chat.max_message_length",
            config.chat.max_message_length.min(u32::MAX as usize) as u32,
        ),
        (
            "gateway.replay_buffer",
            config.gateway.replay_buffer.min(u32::MAX as usize) as u32,
        ),
        (
            "gateway.outbound_queue",
            config.gateway.outbound_queue.min(u32::MAX as usize) as u32,
        ),
    ];
    for (key, value) in limits.into_iter().chain(more) {
        if value == 0 {
            return invalid(key, "must be at least 1");
        }
    }
    if !(1000..=600_000).contains(&config.gateway.heartbeat_interval_ms) {
        return invalid("gateway.heartbeat_interval_ms", "must be between 1000 and 600000");
    }
    if !(0..=5).contains(&config.fetch.max_redirects) {
        return invalid("fetch.max_redirects", "must be between 0 and 5");
    }
    if config.fetch.allowed_ports.contains(&0) {
        return invalid("fetch.allowed_ports", "must list ports between 1 and 65535");
    }
    for (key, hosts) in [
        ("fetch.allow_hosts", &config.fetch.allow_hosts),
        ("fetch.deny_hosts", &config.fetch.deny_hosts),
    ] {
        if hosts.iter().any(|h| h.trim().is_empty() || h.contains(['/', ':', ' '])) {
            return invalid(
                key,
                "must list host names such as `example.org` (no scheme, port or path)",
            );
        }
    }
    let previews = [
        ("previews.max_links_per_message", config.previews.max_links_per_message),
        ("previews.max_html_bytes", config.previews.max_html_bytes),
        ("previews.max_image_bytes", config.previews.max_image_bytes),
        ("previews.concurrency", config.previews.concurrency),
    ];
    for (key, value) in previews {
        if value == 0 {
            return invalid(key, "must be at least 1");
        }
    }
    if config.server.max_body_bytes < 1024 {
        return invalid("server.max_body_bytes", "must be at least 1024");
    }
    super::oidc::validate(&config.oidc)?;
    validate_dj_avatar(&config.music.dj_avatar)?;
    validate_voice(&config.voice)
}

/// The DJ's picture must be there and be an image spot accepts as an avatar (read once, at start).
fn validate_dj_avatar(path: &Path) -> Result<(), ConfigError> {
    if path.as_os_str().is_empty() {
        return Ok(());
    }
    let invalid = |message: String| ConfigError::Invalid {
        key: "music.dj_avatar",
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))?;
    if bytes.len() > crate::media::MAX_AVATAR_BYTES || crate::media::image_kind(&bytes).is_none() {
        return Err(invalid(format!(
            "{} is not a PNG, JPEG, GIF or WebP image of at most 512 KiB",
            path.display()
        )));
    }
    Ok(())
}

fn validate_voice(voice: &super::VoiceConfig) -> Result<(), ConfigError> {
    let invalid = |key, message: &str| {
        Err(ConfigError::Invalid {
            key,
            message: message.to_owned(),
        })
    };
    for (key, value) in [
        ("voice.udp_host", &voice.udp_host),
        ("voice.public_ip", &voice.public_ip),
    ] {
        if !value.is_empty() && value.parse::<std::net::IpAddr>().is_err() {
            return invalid(key, "must be empty or an IP address such as 203.0.113.7");
        }
    }
    let schemes = ["stun:", "turn:", "turns:"];
    if voice
        .ice_servers
        .iter()
        .any(|s| s.urls.is_empty() || s.urls.iter().any(|u| !schemes.iter().any(|p| u.starts_with(p))))
    {
        return invalid(
            "voice.ice_servers",
            "every entry needs urls starting with stun:, turn: or turns:",
        );
    }
    if voice.token_ttl.0 > std::time::Duration::from_secs(3600) {
        return invalid(
            "voice.token_ttl",
            "must be at most 1h (tokens are only used to connect)",
        );
    }
    if voice.state_updates_per_minute == 0 {
        return invalid("voice.state_updates_per_minute", "must be at least 1");
    }
    if voice.backend == super::VoiceBackend::Livekit {
        if !voice.livekit_url.starts_with("ws://") && !voice.livekit_url.starts_with("wss://") {
            return invalid("voice.livekit_url", "must be the LiveKit server's ws:// or wss:// URL");
        }
        if voice.livekit_api_key.is_empty() {
            return invalid("voice.livekit_api_key", "must be set with backend = \"livekit\"");
        }
        if voice.livekit_api_secret.len() < 32 {
            return invalid(
                "voice.livekit_api_secret",
                "must be at least 32 characters (as LiveKit requires)",
            );
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;

//! Instance settings an admin changes at run time in the panel: the name, the upload limit, the REST rate limits
//! and the registration mode. `spot.toml` gives their starting values; a value saved in the panel is stored in
//! the database and wins over the file until it is reset. Readers take a snapshot ([`Settings::get`]); nothing
//! holds the lock across an `.await`.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::config::Config;

pub use crate::config::Registration;

/// The current values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceSettings {
    /// The name on the login page and of the home space.
    pub instance_name: String,
    /// Largest file upload, in bytes.
    pub max_upload_bytes: usize,
    /// REST requests per route bucket per window.
    pub route_limit: u32,
    /// REST requests per second per caller, all routes together.
    pub global_per_second: u32,
    /// Who may create an account.
    pub registration: Registration,
}

/// Keys of the settings table, one per field.
pub const KEYS: [&str; 5] = [
    "instance_name",
    "max_upload_bytes",
    "route_limit",
    "global_per_second",
    "registration",
];

impl InstanceSettings {
    /// The file's values, then whatever the database holds (JSON text by key); unreadable stored values are
    /// ignored with a warning rather than stopping the server.
    pub fn resolve(config: &Config, stored: &HashMap<String, String>) -> Self {
        let mut settings = Self {
            instance_name: config.server.instance_name.clone(),
            max_upload_bytes: config.chat.max_upload_bytes,
            route_limit: config.api.route_limit,
            global_per_second: config.api.global_per_second,
            registration: config.security.registration,
        };
        for (key, value) in stored {
            let applied = match key.as_str() {
                "instance_name" => serde_json::from_str(value).map(|v| settings.instance_name = v),
                "max_upload_bytes" => serde_json::from_str(value).map(|v| settings.max_upload_bytes = v),
                "route_limit" => serde_json::from_str(value).map(|v| settings.route_limit = v),
                "global_per_second" => serde_json::from_str(value).map(|v| settings.global_per_second = v),
                "registration" => serde_json::from_str(value).map(|v| settings.registration = v),
                _ => Ok(()),
            };
            if let Err(e) = applied {
                tracing::warn!(key, error = %e, "ignoring an unreadable stored setting");
            }
        }
        settings
    }

    /// The stored form of every field, by key.
    pub fn to_stored(&self) -> Vec<(String, String)> {
        let json = |v: serde_json::Value| v.to_string();
        vec![
            ("instance_name".into(), json(self.instance_name.clone().into())),
            ("max_upload_bytes".into(), json(self.max_upload_bytes.into())),
            ("route_limit".into(), json(self.route_limit.into())),
            ("global_per_second".into(), json(self.global_per_second.into())),
            ("registration".into(), json(self.registration.as_str().into())),
        ]
    }
}

/// The shared, changeable settings.
#[derive(Debug, Clone)]
pub struct Settings(Arc<RwLock<InstanceSettings>>);

impl Settings {
    /// Settings starting at `initial`.
    pub fn new(initial: InstanceSettings) -> Self {
        Self(Arc::new(RwLock::new(initial)))
    }

    /// A snapshot of the current values.
    pub fn get(&self) -> InstanceSettings {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The REST limits: requests per route per window, and per second over every route.
    pub fn rate_limits(&self) -> (u32, u32) {
        let current = self.0.read().unwrap_or_else(|e| e.into_inner());
        (current.route_limit, current.global_per_second)
    }

    /// Replaces the current values.
    pub fn set(&self, value: InstanceSettings) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_win_over_the_file_and_bad_ones_are_ignored() {
        let config = Config::default();
        let stored: HashMap<String, String> = [
            ("instance_name", "\"Friends\""),
            ("route_limit", "not json"),
            ("registration", "\"closed\""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let settings = InstanceSettings::resolve(&config, &stored);
        assert_eq!(settings.instance_name, "Friends");
        assert_eq!(settings.route_limit, config.api.route_limit);
        assert_eq!(settings.registration, Registration::Closed);
        let round: HashMap<String, String> = settings.to_stored().into_iter().collect();
        assert_eq!(InstanceSettings::resolve(&config, &round), settings);
    }
}

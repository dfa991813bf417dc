//! `SPOT_*` environment overrides: `SPOT_<SECTION>_<KEY>` sets `[section] key`, e.g.
//! `SPOT_SERVER_LISTEN=127.0.0.1:9000`. The value is read as the type the key has (numbers, `true`/`false`,
//! comma-separated or TOML `[…]` lists, strings); a variable naming no key is an error, not silently ignored.
//! Identity providers are tables under `[oidc.providers.<name>]`; their keys are set with
//! `SPOT_OIDC_PROVIDERS_<NAME>_<KEY>` (provider names are letters and digits, so the split is unambiguous), and a
//! variable for a provider the file does not mention adds it.

use toml::{Table, Value};

use super::load::ConfigError;

/// Variables that are not configuration keys: the config path (a command-line setting) and the test-only
/// fetch allowance, which `spot.toml` must never be able to set.
const RESERVED: &[&str] = &["SPOT_CONFIG", "SPOT_TEST_LOG", crate::config::TEST_ALLOWANCE_VAR];

/// Applies every `SPOT_*` variable in `vars` to `table`, using `defaults` (the serialized default config) to
/// know which keys exist and what type each has.
pub(super) fn apply(
    table: &mut Table,
    vars: impl IntoIterator<Item = (String, String)>,
    defaults: &Table,
) -> Result<(), ConfigError> {
    let mut vars: Vec<_> = vars
        .into_iter()
        .filter(|(name, _)| name.starts_with("SPOT_") && !RESERVED.contains(&name.as_str()))
        .collect();
    vars.sort();
    for (name, raw) in vars {
        if let Some(rest) = name.strip_prefix(PROVIDER_PREFIX) {
            apply_provider(table, &name, rest, &raw)?;
            continue;
        }
        let (section, key) = locate(&name, defaults).ok_or_else(|| ConfigError::Env {
            var: name.clone(),
            message: "names no configuration key (see spot.example.toml)".to_owned(),
        })?;
        let template = &defaults[&section][&key];
        let value = convert(&raw, template).map_err(|message| ConfigError::Env {
            var: name.clone(),
            message,
        })?;
        // A comma-separated list is read as strings; a list of numbers (ports) gets a second chance as numbers.
        let value = match (check_alone(&section, &key, &value), as_numbers(&value)) {
            (Ok(()), _) => value,
            (Err(_), Some(numbers)) if check_alone(&section, &key, &numbers).is_ok() => numbers,
            (Err(message), _) => {
                return Err(ConfigError::Env {
                    var: name.clone(),
                    message,
                });
            }
        };
        let entry = table.entry(section).or_insert_with(|| Value::Table(Table::new()));
        match entry {
            Value::Table(section_table) => {
                section_table.insert(key, value);
            }
            _ => {
                return Err(ConfigError::Env {
                    var: name,
                    message: "the config file has this section as a plain value".to_owned(),
                });
            }
        }
    }
    Ok(())
}

/// Where provider variables start.
const PROVIDER_PREFIX: &str = "SPOT_OIDC_PROVIDERS_";

/// Applies `SPOT_OIDC_PROVIDERS_<NAME>_<KEY>` (`rest` is `<NAME>_<KEY>`) to `[oidc.providers.<name>]`.
fn apply_provider(table: &mut Table, var: &str, rest: &str, raw: &str) -> Result<(), ConfigError> {
    let error = |message: String| ConfigError::Env {
        var: var.to_owned(),
        message,
    };
    let defaults = match Value::try_from(super::ProviderConfig::default()) {
        Ok(Value::Table(t)) => t,
        _ => unreachable!("a provider's defaults serialize to a table"),
    };
    let rest = rest.to_ascii_lowercase();
    let (provider, key) = rest
        .split_once('_')
        .filter(|(provider, key)| !provider.is_empty() && defaults.contains_key(*key))
        .ok_or_else(|| {
            error("is not SPOT_OIDC_PROVIDERS_<NAME>_<KEY> with a provider key (see spot.example.toml)".to_owned())
        })?;
    let value = convert(raw, &defaults[key]).map_err(error)?;
    let mut alone = Table::new();
    alone.insert(key.to_owned(), value.clone());
    Value::Table(alone)
        .try_into::<super::ProviderConfig>()
        .map_err(|e| error(e.message().trim().replace('\n', " ")))?;
    let slot = ["oidc", "providers", provider]
        .iter()
        .try_fold(table, |at, part| {
            at.entry(*part)
                .or_insert_with(|| Value::Table(Table::new()))
                .as_table_mut()
        })
        .ok_or_else(|| error("the config file has oidc.providers or this provider as a plain value".to_owned()))?;
    slot.insert(key.to_owned(), value);
    Ok(())
}

/// Deserializes a config holding only this one key, so a bad value is blamed on its own variable.
fn check_alone(section: &str, key: &str, value: &Value) -> Result<(), String> {
    let mut inner = Table::new();
    inner.insert(key.to_owned(), value.clone());
    let mut outer = Table::new();
    outer.insert(section.to_owned(), Value::Table(inner));
    Value::Table(outer)
        .try_into::<super::Config>()
        .map(drop)
        .map_err(|e| e.message().trim().replace('\n', " "))
}

/// A list of strings that all read as whole numbers, as a list of numbers.
fn as_numbers(value: &Value) -> Option<Value> {
    let items = value.as_array()?;
    items
        .iter()
        .map(|item| item.as_str()?.parse::<i64>().ok().map(Value::Integer))
        .collect::<Option<Vec<_>>>()
        .map(Value::Array)
}

/// Finds the `(section, key)` an environment variable name refers to.
fn locate(name: &str, defaults: &Table) -> Option<(String, String)> {
    let rest = name.strip_prefix("SPOT_")?.to_ascii_lowercase();
    defaults.iter().find_map(|(section, keys)| {
        let key = rest.strip_prefix(section.as_str())?.strip_prefix('_')?;
        keys.as_table()?
            .contains_key(key)
            .then(|| (section.clone(), key.to_owned()))
    })
}

/// Reads `raw` as a value of the same TOML type as `template`.
fn convert(raw: &str, template: &Value) -> Result<Value, String> {
    let raw = raw.trim();
    match template {
        Value::Integer(_) => raw
            .parse::<i64>()
            .map(Value::Integer)
            .map_err(|_| format!("`{raw}` is not a whole number")),
        Value::Float(_) => raw
            .parse::<f64>()
            .map(Value::Float)
            .map_err(|_| format!("`{raw}` is not a number")),
        Value::Boolean(_) => match raw {
            "true" | "1" | "yes" | "on" => Ok(Value::Boolean(true)),
            "false" | "0" | "no" | "off" => Ok(Value::Boolean(false)),
            _ => Err(format!("`{raw}` is not true or false")),
        },
        Value::Array(_) if raw.starts_with('[') => toml::from_str::<Table>(&format!("v = {raw}"))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .ok_or_else(|| format!("`{raw}` is not a TOML list")),
        Value::Array(_) => Ok(Value::Array(
            raw.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_owned()))
                .collect(),
        )),
        _ => Ok(Value::String(raw.to_owned())),
    }
}

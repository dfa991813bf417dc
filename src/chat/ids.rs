//! Snowflakes in request bodies: Discord libraries send them as strings or as JSON numbers; both are accepted.
//! Also `null` where the spec allows it for a field with a default.

use serde::{Deserialize, Deserializer};

use crate::store::Snowflake;

#[derive(Deserialize)]
#[serde(untagged)]
enum Flexible {
    Text(String),
    Number(i64),
}

fn convert<E: serde::de::Error>(value: Flexible) -> Result<Snowflake, E> {
    match value {
        Flexible::Number(n) => Ok(n),
        Flexible::Text(s) => s.parse().map_err(|_| E::custom(format!("`{s}` is not a snowflake"))),
    }
}

/// Deserializes one snowflake.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Snowflake, D::Error> {
    convert(Flexible::deserialize(deserializer)?)
}

/// Deserializes an optional snowflake (`null` or absent is `None`).
pub fn deserialize_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Snowflake>, D::Error> {
    Option::<Flexible>::deserialize(deserializer)?.map(convert).transpose()
}

/// Deserializes a list of snowflakes (`null` is an empty list).
pub fn deserialize_vec<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Snowflake>, D::Error> {
    Option::<Vec<Flexible>>::deserialize(deserializer)?
        .unwrap_or_default()
        .into_iter()
        .map(convert)
        .collect()
}

/// Deserializes a value where `null` means the default (Discord's spec allows `null` for `tts`, `enforce_nonce`, …).
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

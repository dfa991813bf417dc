//! The text of imported messages: times, mentions and custom emoji rewritten to what they became here, and
//! embeds in Discord's shape.

use std::collections::HashMap;

use crate::store::Snowflake;

/// An ISO 8601 time (with its offset) in milliseconds.
pub(super) fn parse_time(text: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp_millis())
        .filter(|ms| *ms > crate::store::DISCORD_EPOCH_MS)
}

/// The text with `<@id>`, `<#id>` and `<:name:id>` pointing at what those became here (others left as they were).
pub(super) fn rewrite(
    text: &str,
    people: &HashMap<i64, Snowflake>,
    channels: &HashMap<i64, Snowflake>,
    emojis: &HashMap<i64, (Snowflake, String, bool)>,
) -> String {
    if !text.contains('<') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let Some(end) = tail.find('>') else {
            out.push_str(tail);
            return out;
        };
        let inner = &tail[1..end];
        let replaced = if let Some(id) = inner.strip_prefix("@!").or_else(|| inner.strip_prefix('@')) {
            id.parse::<i64>()
                .ok()
                .and_then(|id| people.get(&id))
                .map(|spot| format!("<@{spot}>"))
        } else if let Some(id) = inner.strip_prefix('#') {
            id.parse::<i64>()
                .ok()
                .and_then(|id| channels.get(&id))
                .filter(|spot| **spot > 0)
                .map(|spot| format!("<#{spot}>"))
        } else if inner.starts_with(':') || inner.starts_with("a:") {
            inner
                .rsplit(':')
                .next()
                .and_then(|id| id.parse::<i64>().ok())
                .and_then(|id| emojis.get(&id))
                .filter(|(spot, ..)| *spot > 0)
                .map(|(spot, name, animated)| format!("<{}:{name}:{spot}>", if *animated { "a" } else { "" }))
        } else {
            None
        };
        match replaced {
            Some(text) => out.push_str(&text),
            None => out.push_str(&tail[..=end]),
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The export's embeds in Discord's shape (DiscordChatExporter renames a few fields), checked as a client's
/// would be; ones that do not pass are left out.
pub(super) fn embeds(values: &[serde_json::Value]) -> String {
    use serde_json::{Map, Value, json};
    let text = |v: &Value| {
        v.as_str()
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_owned()))
    };
    let link = |v: &Value| {
        let canonical = v.get("canonicalUrl").and_then(|u| u.as_str());
        let url = v.get("url").and_then(|u| u.as_str());
        canonical
            .or(url)
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
            .map(|u| Value::String(u.to_owned()))
    };
    let mut out = Vec::new();
    for e in values {
        let mut embed = Map::new();
        for key in ["title", "url", "timestamp", "description"] {
            if let Some(value) = e.get(key).and_then(text) {
                embed.insert(key.into(), value);
            }
        }
        if let Some(color) = e
            .get("color")
            .and_then(|c| c.as_str())
            .and_then(|c| i64::from_str_radix(c.trim_start_matches('#'), 16).ok())
        {
            embed.insert("color".into(), json!(color));
        }
        if let Some(author) = e.get("author").filter(|a| a.is_object()) {
            let mut a = Map::new();
            if let Some(name) = author.get("name").and_then(text) {
                a.insert("name".into(), name);
                if let Some(url) = author.get("url").and_then(text) {
                    a.insert("url".into(), url);
                }
                embed.insert("author".into(), Value::Object(a));
            }
        }
        for key in ["thumbnail", "image"] {
            if let Some(url) = e.get(key).and_then(link) {
                embed.insert(key.into(), json!({"url": url}));
            }
        }
        if let Some(footer) = e.get("footer").and_then(|f| f.get("text")).and_then(text) {
            embed.insert("footer".into(), json!({"text": footer}));
        }
        if let Some(fields) = e.get("fields").and_then(|f| f.as_array()) {
            let fields: Vec<Value> = fields
                .iter()
                .filter_map(|f| {
                    Some(json!({
                        "name": f.get("name").and_then(text)?,
                        "value": f.get("value").and_then(text)?,
                        "inline": f.get("isInline").and_then(|i| i.as_bool()).unwrap_or(false),
                    }))
                })
                .collect();
            if !fields.is_empty() {
                embed.insert("fields".into(), Value::Array(fields));
            }
        }
        if !embed.is_empty() {
            out.push(Value::Object(embed));
        }
    }
    match crate::wire::parse_embeds(&out) {
        Ok(checked) => serde_json::to_string(&checked).unwrap_or_else(|_| "[]".into()),
        Err(_) => {
            // One bad embed spoils the list: keep those that pass alone.
            let kept: Vec<_> = out
                .iter()
                .filter_map(|e| crate::wire::parse_embeds(std::slice::from_ref(e)).ok())
                .flatten()
                .collect();
            serde_json::to_string(&kept).unwrap_or_else(|_| "[]".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_channels_and_emoji_are_rewritten() {
        let people = HashMap::from([(111, 5)]);
        let channels = HashMap::from([(222, 6)]);
        let emojis = HashMap::from([
            (333, (7, "party".to_owned(), false)),
            (444, (8, "dance".to_owned(), true)),
        ]);
        assert_eq!(
            rewrite(
                "hi <@111> and <@!111> in <#222> <:party:333> <a:dance:444> <@999> <b>",
                &people,
                &channels,
                &emojis
            ),
            "hi <@5> and <@5> in <#6> <:party:7> <a:dance:8> <@999> <b>"
        );
        assert_eq!(rewrite("a < b", &people, &channels, &emojis), "a < b");
        assert_eq!(parse_time("2020-03-13T17:52:31.123+01:00"), Some(1_584_118_351_123));
        assert_eq!(parse_time("yesterday"), None);
    }

    #[test]
    fn embeds_are_discords_shape() {
        let exported = serde_json::json!([{"title": "Build", "url": "https://ci.example/1", "timestamp": null,
            "description": "", "color": "#FF0000", "author": {"name": "CI", "url": null},
            "thumbnail": {"url": "assets/x.png", "canonicalUrl": "https://cdn/x.png", "width": 1, "height": 1},
            "images": [], "fields": [{"name": "a", "value": "b", "isInline": true}], "inlineEmojis": []}]);
        let stored: serde_json::Value = serde_json::from_str(&embeds(exported.as_array().unwrap())).unwrap();
        assert_eq!(stored[0]["title"], "Build");
        assert_eq!(stored[0]["color"], 0xFF0000);
        assert_eq!(stored[0]["thumbnail"]["url"], "https://cdn/x.png");
        assert_eq!(stored[0]["fields"][0]["inline"], true);
        assert!(stored[0].get("description").is_none());
    }
}

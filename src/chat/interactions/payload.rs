//! What a bot receives in INTERACTION_CREATE, in the shape the libraries read (discord.py, discord.js,
//! hikari all fail on a missing field): the invoker as a member with permissions (or a user, in a DM), the
//! channel object, `data` with `resolved` users, members, roles, channels and messages where options or a
//! context menu point at them (never for a string select, whose values discord.py would then drop), the
//! app's permissions, locale, entitlements, owners and context. Also the checks on components a bot sends.

use serde_json::{Map, Value, json};

use crate::chat::ChatError;
use crate::store::{Channel, Member, Message, Role, User};
use crate::wire;

/// A user-like object as Discord's `resolved.users` holds it.
pub(super) fn user(user: &User) -> Value {
    serde_json::to_value(wire::User::from(user)).unwrap_or_default()
}

/// A member without `user`, with permissions, as `resolved.members` and `member` hold it.
pub(super) fn member(member: &Member, permissions: u64) -> Value {
    let mut value = serde_json::to_value(wire::MemberInfo::from(member)).unwrap_or_default();
    value["permissions"] = json!(permissions.to_string());
    value["flags"] = json!(0);
    value["pending"] = json!(false);
    value
}

/// The channel object for `channel`.
pub(super) fn channel(channel: &Channel) -> Value {
    if channel.kind.is_private() {
        json!({"id": channel.id.to_string(), "type": channel.kind.code(), "name": channel.name})
    } else {
        serde_json::to_value(wire::Channel::from(channel)).unwrap_or_default()
    }
}

/// A role for `resolved.roles`.
pub(super) fn role(role: &Role) -> Value {
    serde_json::to_value(wire::Role::from(role)).unwrap_or_default()
}

/// What `resolved` needs, gathered by the caller.
#[derive(Default)]
pub(super) struct Resolved {
    pub users: Vec<(User, Option<(Member, u64)>)>,
    pub roles: Vec<Role>,
    pub channels: Vec<Channel>,
    pub messages: Vec<Value>,
}

impl Resolved {
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.roles.is_empty() && self.channels.is_empty() && self.messages.is_empty()
    }

    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        if !self.users.is_empty() {
            let users: Map<String, Value> = self.users.iter().map(|(u, _)| (u.id.to_string(), user(u))).collect();
            out.insert("users".into(), Value::Object(users));
            let members: Map<String, Value> = self
                .users
                .iter()
                .filter_map(|(u, m)| m.as_ref().map(|(m, p)| (u.id.to_string(), member(m, *p))))
                .collect();
            if !members.is_empty() {
                out.insert("members".into(), Value::Object(members));
            }
        }
        if !self.roles.is_empty() {
            out.insert(
                "roles".into(),
                Value::Object(self.roles.iter().map(|r| (r.id.to_string(), role(r))).collect()),
            );
        }
        if !self.channels.is_empty() {
            let channels = self
                .channels
                .iter()
                .map(|c| {
                    let mut value = channel(c);
                    value["permissions"] = json!("0");
                    (c.id.to_string(), value)
                })
                .collect();
            out.insert("channels".into(), Value::Object(channels));
        }
        if !self.messages.is_empty() {
            let messages = self
                .messages
                .iter()
                .map(|m| (m["id"].as_str().unwrap_or_default().to_owned(), m.clone()))
                .collect();
            out.insert("messages".into(), Value::Object(messages));
        }
        Value::Object(out)
    }
}

/// The option values of a command's `data.options` (nested subcommands included), with their types.
pub(super) fn option_values(options: &Value, out: &mut Vec<(i64, String)>) {
    for option in options.as_array().into_iter().flatten() {
        let kind = option["type"].as_i64().unwrap_or(0);
        if matches!(kind, 1 | 2) {
            option_values(&option["options"], out);
        } else if let Some(value) = option.get("value") {
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.push((kind, text));
        }
    }
}

fn check_component(path: &str, component: &Value, in_modal: bool) -> Result<(), ChatError> {
    let bad = |why: &str| ChatError::invalid(path, why.to_owned());
    let kind = component["type"]
        .as_i64()
        .ok_or_else(|| bad("A component needs a type"))?;
    let custom_id = component.get("custom_id").and_then(Value::as_str);
    if custom_id.is_some_and(|c| c.is_empty() || c.chars().count() > 100) {
        return Err(bad("custom_id must be 1 to 100 characters"));
    }
    match (kind, in_modal) {
        (2, false) => {
            let style = component["style"]
                .as_i64()
                .filter(|s| (1..=5).contains(s))
                .ok_or_else(|| bad("A button's style is 1 to 5"))?;
            let label = component.get("label").and_then(Value::as_str).unwrap_or_default();
            if label.chars().count() > 80 {
                return Err(bad("A button's label is at most 80 characters"));
            }
            if style == 5 {
                let url = component.get("url").and_then(Value::as_str).unwrap_or_default();
                if !(url.starts_with("https://") || url.starts_with("http://")) || custom_id.is_some() {
                    return Err(bad("A link button has an http(s) url and no custom_id"));
                }
            } else if custom_id.is_none() {
                return Err(bad("A button needs a custom_id"));
            }
        }
        (3 | 5 | 6 | 7 | 8, false) => {
            if custom_id.is_none() {
                return Err(bad("A select menu needs a custom_id"));
            }
            if kind == 3 {
                let options = component["options"]
                    .as_array()
                    .ok_or_else(|| bad("A string select needs options"))?;
                if options.is_empty() || options.len() > 25 {
                    return Err(bad("A string select has 1 to 25 options"));
                }
            }
        }
        (4, true) => {
            if custom_id.is_none() || component.get("label").and_then(Value::as_str).is_none_or(str::is_empty) {
                return Err(bad("A text input needs a custom_id and a label"));
            }
        }
        _ => return Err(bad("This component cannot be used here")),
    }
    Ok(())
}

/// Checks a message's (or modal's) action rows and numbers every component 1, 2, 3… as Discord does (hikari
/// reads the ids).
pub(super) fn checked_components(components: &Value, in_modal: bool) -> Result<Value, ChatError> {
    let Some(rows) = components.as_array() else {
        return Ok(Value::Array(Vec::new()));
    };
    if rows.len() > 5 {
        return Err(ChatError::invalid("components", "Must be 5 or fewer in length."));
    }
    let mut next = 1;
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        if row["type"].as_i64() != Some(1) {
            return Err(ChatError::invalid(
                &format!("components.{r}"),
                "Top-level components must be action rows",
            ));
        }
        let inner = row["components"].as_array().cloned().unwrap_or_default();
        let selects = inner.iter().filter(|c| c["type"].as_i64() != Some(2)).count();
        if inner.is_empty() || inner.len() > 5 || (selects > 0 && inner.len() > 1) {
            return Err(ChatError::invalid(
                &format!("components.{r}"),
                "A row holds 1 to 5 buttons or one menu",
            ));
        }
        let mut row = row.clone();
        row["id"] = json!(next);
        next += 1;
        let mut children = Vec::new();
        for (c, component) in inner.into_iter().enumerate() {
            check_component(&format!("components.{r}.components.{c}"), &component, in_modal)?;
            let mut component = component;
            component["id"] = json!(next);
            next += 1;
            children.push(component);
        }
        row["components"] = Value::Array(children);
        out.push(row);
    }
    Ok(Value::Array(out))
}

/// A form's submitted rows with every component numbered 1, 2, 3… (hikari reads the ids); only rows of text
/// inputs with a custom id and a string value are kept.
pub(super) fn numbered_submission(components: &Value) -> Value {
    let mut next = 1;
    let mut rows = Vec::new();
    for row in components.as_array().into_iter().flatten().take(5) {
        let mut inputs = Vec::new();
        let row_id = next;
        next += 1;
        for input in row["components"].as_array().into_iter().flatten().take(5) {
            let (Some(custom_id), Some(value)) = (input["custom_id"].as_str(), input["value"].as_str()) else {
                continue;
            };
            inputs.push(json!({"type": 4, "id": next, "custom_id": custom_id, "value": value}));
            next += 1;
        }
        rows.push(json!({"type": 1, "id": row_id, "components": inputs}));
    }
    Value::Array(rows)
}

/// Whether `message`'s components have this custom id (an interaction may only name a component it has).
pub(super) fn has_custom_id(message: &Message, custom_id: &str) -> Option<i64> {
    let rows = message.extra.components.as_ref()?.as_array()?;
    rows.iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .find(|c| c["custom_id"].as_str() == Some(custom_id) && !c["disabled"].as_bool().unwrap_or(false))
        .and_then(|c| c["type"].as_i64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_checked_and_numbered() {
        let rows = json!([{"type": 1, "components": [{"type": 2, "style": 1, "label": "Press", "custom_id": "press"}]},
            {"type": 1, "components": [{"type": 3, "custom_id": "choose", "options": [{"label": "a", "value": "a"}]}]}]);
        let checked = checked_components(&rows, false).unwrap();
        assert_eq!(checked[0]["id"], 1);
        assert_eq!(checked[0]["components"][0]["id"], 2);
        assert_eq!(checked[1]["components"][0]["id"], 4);
        let link_with_id =
            json!([{"type": 1, "components": [{"type": 2, "style": 5, "url": "https://x.test", "custom_id": "x"}]}]);
        assert!(checked_components(&link_with_id, false).is_err());
        let javascript = json!([{"type": 1, "components": [{"type": 2, "style": 5, "url": "javascript:alert(1)"}]}]);
        assert!(checked_components(&javascript, false).is_err());
        let select_and_button = json!([{"type": 1, "components": [{"type": 2, "style": 1, "custom_id": "a"},
            {"type": 3, "custom_id": "b", "options": [{"label": "a", "value": "a"}]}]}]);
        assert!(checked_components(&select_and_button, false).is_err());
        let input =
            json!([{"type": 1, "components": [{"type": 4, "custom_id": "t", "label": "Thoughts", "style": 1}]}]);
        assert!(checked_components(&input, true).is_ok());
        assert!(checked_components(&input, false).is_err(), "text inputs only in modals");
    }
}

//! Application commands: what a bot may register (Discord's validation: names, descriptions, 25 options,
//! choices, subcommand nesting, 100 chat commands and 15 of each context menu per scope), who may see and use
//! each one (`default_member_permissions`, DMs), and the index the web client reads when someone types `/`.

use serde_json::{Map, Value, json};

use super::{Chat, ChatError};
use crate::hub::{Audience, Event};
use crate::store::{Command, Snowflake, User};

/// Commands of each type one scope may hold: chat input, user, message.
const LIMITS: [usize; 3] = [100, 15, 15];

fn invalid(path: &str, message: &str) -> ChatError {
    ChatError::invalid(path, message.to_owned())
}

fn chat_name_ok(name: &str) -> bool {
    let count = name.chars().count();
    (1..=32).contains(&count)
        && name.chars().all(|c| c == '-' || c == '_' || c.is_alphanumeric())
        && name.to_lowercase() == name
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn check_description(path: &str, value: &Value) -> Result<(), ChatError> {
    let description = text(value, "description").unwrap_or_default();
    if !(1..=100).contains(&description.chars().count()) {
        return Err(invalid(
            &format!("{path}.description"),
            "Must be between 1 and 100 in length.",
        ));
    }
    Ok(())
}

fn check_choices(path: &str, option: &Value, kind: i64) -> Result<(), ChatError> {
    let Some(choices) = option.get("choices").filter(|c| !c.is_null()) else {
        return Ok(());
    };
    let choices = choices
        .as_array()
        .ok_or_else(|| invalid(path, "choices must be a list"))?;
    if !matches!(kind, 3 | 4 | 10) {
        return Err(invalid(path, "Only string, integer and number options have choices"));
    }
    if choices.len() > 25 {
        return Err(invalid(path, "Must be 25 or fewer in length."));
    }
    if option.get("autocomplete").and_then(Value::as_bool) == Some(true) && !choices.is_empty() {
        return Err(invalid(path, "Autocomplete and choices cannot be used together"));
    }
    for (i, choice) in choices.iter().enumerate() {
        let name = text(choice, "name").unwrap_or_default();
        if !(1..=100).contains(&name.chars().count()) {
            return Err(invalid(
                &format!("{path}.choices.{i}.name"),
                "Must be between 1 and 100 in length.",
            ));
        }
        let ok = match (kind, &choice["value"]) {
            (3, Value::String(s)) => s.chars().count() <= 100,
            (4, Value::Number(n)) => n.is_i64(),
            (10, Value::Number(_)) => true,
            _ => false,
        };
        if !ok {
            return Err(invalid(
                &format!("{path}.choices.{i}.value"),
                "Does not match the option's type",
            ));
        }
    }
    Ok(())
}

/// Options at one level: `depth` 0 under the command, 1 under a group or subcommand, 2 under a subcommand of a
/// group.
fn check_options(path: &str, options: &[Value], depth: u8, parent: i64) -> Result<(), ChatError> {
    if options.len() > 25 {
        return Err(invalid(path, "Must be 25 or fewer in length."));
    }
    let mut names = Vec::new();
    let mut optional_seen = false;
    let subs = options
        .iter()
        .filter(|o| matches!(o["type"].as_i64(), Some(1 | 2)))
        .count();
    if subs != 0 && subs != options.len() {
        return Err(invalid(path, "Subcommands and options cannot be mixed"));
    }
    for (i, option) in options.iter().enumerate() {
        let at = format!("{path}.{i}");
        let kind = option["type"]
            .as_i64()
            .filter(|k| (1..=11).contains(k))
            .ok_or_else(|| invalid(&format!("{at}.type"), "Must be an option type (1 to 11)"))?;
        let name = text(option, "name").unwrap_or_default();
        if !chat_name_ok(&name) {
            return Err(invalid(
                &format!("{at}.name"),
                "Must be 1 to 32 lowercase letters, digits, - or _",
            ));
        }
        if names.contains(&name) {
            return Err(invalid(&format!("{at}.name"), "Option names must be unique"));
        }
        names.push(name);
        check_description(&at, option)?;
        match kind {
            2 if depth > 0 => return Err(invalid(&at, "Subcommand groups cannot be nested")),
            1 if depth > 1 || parent == 1 => return Err(invalid(&at, "Subcommands cannot be nested here")),
            1 | 2 => {
                let inner = option
                    .get("options")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                if kind == 2 && inner.iter().any(|o| o["type"].as_i64() != Some(1)) {
                    return Err(invalid(&at, "A subcommand group holds only subcommands"));
                }
                check_options(&format!("{at}.options"), &inner, depth + 1, kind)?;
            }
            _ => {
                let required = option.get("required").and_then(Value::as_bool).unwrap_or(false);
                if required && optional_seen {
                    return Err(invalid(
                        &at,
                        "Required options must be placed before non-required options",
                    ));
                }
                optional_seen |= !required;
                check_choices(&at, option, kind)?;
                if option.get("autocomplete").and_then(Value::as_bool) == Some(true) && !matches!(kind, 3 | 4 | 10) {
                    return Err(invalid(&at, "Only string, integer and number options autocomplete"));
                }
            }
        }
    }
    Ok(())
}

/// A command as a bot sent it, checked; returns (type, name, the definition to keep).
pub fn validate(input: &Value) -> Result<(i64, String, Value), ChatError> {
    let object = input
        .as_object()
        .ok_or_else(|| invalid("body", "Must be a command object"))?;
    let kind = match object.get("type") {
        None | Some(Value::Null) => 1,
        Some(v) => v
            .as_i64()
            .filter(|k| (1..=3).contains(k))
            .ok_or_else(|| invalid("type", "Must be 1, 2 or 3"))?,
    };
    let name = text(input, "name").unwrap_or_default();
    if kind == 1 {
        if !chat_name_ok(&name) {
            return Err(invalid("name", "Must be 1 to 32 lowercase letters, digits, - or _"));
        }
        check_description("", input)?;
        let options = object
            .get("options")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        check_options("options", &options, 0, 0)?;
    } else {
        if !(1..=32).contains(&name.chars().count()) {
            return Err(invalid("name", "Must be between 1 and 32 in length."));
        }
        if text(input, "description").is_some_and(|d| !d.is_empty()) {
            return Err(invalid("description", "Context menu commands have no description"));
        }
        if object
            .get("options")
            .and_then(Value::as_array)
            .is_some_and(|o| !o.is_empty())
        {
            return Err(invalid("options", "Context menu commands have no options"));
        }
    }
    if let Some(bits) = object.get("default_member_permissions").filter(|v| !v.is_null()) {
        let ok = match bits {
            Value::String(s) => s.parse::<u64>().is_ok(),
            Value::Number(n) => n.is_u64(),
            _ => false,
        };
        if !ok {
            return Err(invalid("default_member_permissions", "Must be a permission bitfield"));
        }
    }
    let mut kept = Map::new();
    for key in [
        "name_localizations",
        "description",
        "description_localizations",
        "options",
        "default_member_permissions",
        "dm_permission",
        "contexts",
        "integration_types",
        "nsfw",
    ] {
        if let Some(value) = object.get(key).filter(|v| !v.is_null()) {
            kept.insert(key.to_owned(), value.clone());
        }
    }
    if let Some(Value::Number(n)) = kept.get("default_member_permissions") {
        let text = n.to_string();
        kept.insert("default_member_permissions".into(), Value::String(text));
    }
    Ok((kind, name, Value::Object(kept)))
}

/// A command as Discord sends it.
pub fn render(command: &Command) -> Value {
    let d = &command.definition;
    let mut out = json!({
        "id": command.id.to_string(),
        "application_id": command.application_id.to_string(),
        "version": command.version.to_string(),
        "type": command.kind,
        "name": command.name,
        "description": d.get("description").cloned().unwrap_or(json!("")),
        "default_member_permissions": d.get("default_member_permissions").cloned().unwrap_or(Value::Null),
        "dm_permission": d.get("dm_permission").cloned().unwrap_or(json!(true)),
        "contexts": d.get("contexts").cloned().unwrap_or(Value::Null),
        "integration_types": d.get("integration_types").cloned().unwrap_or(json!([0])),
        "nsfw": d.get("nsfw").cloned().unwrap_or(json!(false)),
    });
    for key in ["options", "name_localizations", "description_localizations"] {
        if let Some(value) = d.get(key) {
            out[key] = value.clone();
        }
    }
    if let Some(guild) = command.guild_id {
        out["guild_id"] = json!(guild.to_string());
    }
    out
}

/// Whether someone with `access` to a channel may use `command` there: in a space, by
/// `default_member_permissions` against their permissions in the channel (`"0"`: administrators only); in a DM,
/// only global commands allowed in DMs.
pub fn usable(command: &Command, access: &super::Access) -> bool {
    let d = &command.definition;
    if access.channel.kind.is_private() {
        let in_dms = d.get("dm_permission").and_then(Value::as_bool).unwrap_or(true);
        let contexts_ok = d
            .get("contexts")
            .and_then(Value::as_array)
            .is_none_or(|list| list.iter().any(|v| v.as_i64() == Some(1) || v.as_i64() == Some(2)));
        return command.guild_id.is_none() && in_dms && contexts_ok;
    }
    if command.guild_id.is_some() && command.guild_id != access.channel.guild_id {
        return false;
    }
    match d
        .get("default_member_permissions")
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<u64>().ok())
    {
        None => true,
        Some(0) => crate::perms::has(access.perms, crate::perms::bits::ADMINISTRATOR),
        Some(bits) => access.perms & bits == bits,
    }
}

impl Chat {
    /// The scope a bot manages: its own application, globally or in the home space (of which it is a member).
    async fn command_scope(
        &self,
        actor: &User,
        application_id: Snowflake,
        guild_id: Option<Snowflake>,
    ) -> Result<(), ChatError> {
        if !actor.is_bot || actor.id != application_id {
            return Err(ChatError::MissingAccess);
        }
        if let Some(guild) = guild_id
            && self.store.member_get(guild, actor.id).await?.is_none()
        {
            return Err(ChatError::MissingAccess);
        }
        Ok(())
    }

    /// `GET /applications/{id}[/guilds/{guild}]/commands`.
    pub async fn commands(
        &self,
        actor: &User,
        application_id: Snowflake,
        guild_id: Option<Snowflake>,
    ) -> Result<Vec<Value>, ChatError> {
        self.command_scope(actor, application_id, guild_id).await?;
        Ok(self
            .store
            .commands_list(application_id, guild_id)
            .await?
            .iter()
            .map(render)
            .collect())
    }

    /// `GET /applications/{id}[/guilds/{guild}]/commands/{command}`.
    pub async fn command(
        &self,
        actor: &User,
        application_id: Snowflake,
        guild_id: Option<Snowflake>,
        id: Snowflake,
    ) -> Result<Command, ChatError> {
        self.command_scope(actor, application_id, guild_id).await?;
        self.store
            .command_get(id)
            .await?
            .filter(|c| c.application_id == application_id && c.guild_id == guild_id)
            .ok_or(ChatError::UnknownCommand)
    }

    /// Clients refetch their command index on this event (Discord's client listens to the same one).
    async fn commands_changed(&self, command: &Command) -> Result<(), ChatError> {
        let guild = match command.guild_id {
            Some(guild) => guild,
            None => match self.store.guild_home().await? {
                Some(home) => home.id,
                None => return Ok(()),
            },
        };
        let data = json!({"id": command.id.to_string(), "application_id": command.application_id.to_string(),
            "guild_id": guild.to_string(), "permissions": []});
        self.hub.publish(Event::new(
            "APPLICATION_COMMAND_PERMISSIONS_UPDATE",
            &data,
            Audience::Guild(guild),
            0,
        ));
        Ok(())
    }

    /// `POST`: creates the command, or replaces the one of the same type and name (Discord's upsert). Returns
    /// it and whether it is new.
    pub async fn create_command(
        &self,
        actor: &User,
        application_id: Snowflake,
        guild_id: Option<Snowflake>,
        input: Value,
    ) -> Result<(Value, bool), ChatError> {
        self.command_scope(actor, application_id, guild_id).await?;
        let (kind, name, definition) = validate(&input)?;
        let existing = self.store.commands_list(application_id, guild_id).await?;
        let same = existing.iter().find(|c| c.kind == kind && c.name == name);
        if same.is_none() && existing.iter().filter(|c| c.kind == kind).count() >= LIMITS[(kind - 1) as usize] {
            return Err(ChatError::TooManyCommands);
        }
        let command = Command {
            id: same.map_or_else(|| self.store.next_id(), |c| c.id),
            application_id,
            guild_id,
            kind,
            name,
            definition,
            version: self.store.next_id(),
        };
        let stored = self.store.command_put(command).await?;
        self.commands_changed(&stored).await?;
        Ok((render(&stored), same.is_none()))
    }

    /// `PUT`: the scope's commands become exactly `inputs` (same type and name keep their ids).
    pub async fn overwrite_commands(
        &self,
        actor: &User,
        application_id: Snowflake,
        guild_id: Option<Snowflake>,
        inputs: Vec<Value>,
    ) -> Result<Vec<Value>, ChatError> {
        self.command_scope(actor, application_id, guild_id).await?;
        let existing = self.store.commands_list(application_id, guild_id).await?;
        let mut commands: Vec<Command> = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            let (kind, name, definition) = validate(input).map_err(|e| match e {
                ChatError::Invalid(field, message) => ChatError::Invalid(format!("{i}.{field}"), message),
                other => other,
            })?;
            if commands.iter().any(|c| c.kind == kind && c.name == name) {
                return Err(invalid(
                    &format!("{i}.name"),
                    "Application command names must be unique",
                ));
            }
            let id = existing
                .iter()
                .find(|c| c.kind == kind && c.name == name)
                .map_or_else(|| self.store.next_id(), |c| c.id);
            commands.push(Command {
                id,
                application_id,
                guild_id,
                kind,
                name,
                definition,
                version: self.store.next_id(),
            });
        }
        for kind in 1..=3 {
            if commands.iter().filter(|c| c.kind == kind).count() > LIMITS[(kind - 1) as usize] {
                return Err(ChatError::TooManyCommands);
            }
        }
        let stored = self.store.commands_replace(application_id, guild_id, commands).await?;
        if let Some(first) = stored.first() {
            self.commands_changed(first).await?;
        }
        Ok(stored.iter().map(render).collect())
    }

    /// `PATCH`: changes the given fields.
    pub async fn update_command(
        &self,
        actor: &User,
        application_id: Snowflake,
        guild_id: Option<Snowflake>,
        id: Snowflake,
        patch: Value,
    ) -> Result<Value, ChatError> {
        let command = self.command(actor, application_id, guild_id, id).await?;
        let mut merged = render(&command);
        if let (Some(target), Some(changes)) = (merged.as_object_mut(), patch.as_object()) {
            for (key, value) in changes {
                target.insert(key.clone(), value.clone());
            }
        }
        let (kind, name, definition) = validate(&merged)?;
        if kind != command.kind {
            return Err(invalid("type", "A command's type cannot change"));
        }
        let updated = Command {
            name,
            definition,
            version: self.store.next_id(),
            ..command
        };
        let stored = self.store.command_put(updated).await?;
        self.commands_changed(&stored).await?;
        Ok(render(&stored))
    }

    /// `DELETE`.
    pub async fn delete_command(
        &self,
        actor: &User,
        application_id: Snowflake,
        guild_id: Option<Snowflake>,
        id: Snowflake,
    ) -> Result<(), ChatError> {
        let command = self.command(actor, application_id, guild_id, id).await?;
        self.store.command_delete(command.id).await?;
        self.commands_changed(&command).await?;
        Ok(())
    }

    /// The commands `actor` may use in a channel: the space's and global ones there (by
    /// `default_member_permissions` against their permissions in it), global ones allowed in DMs in a DM.
    pub async fn command_index(&self, actor: &User, channel_id: Snowflake) -> Result<Value, ChatError> {
        let access = self.access(actor, channel_id).await?;
        let commands = self.store.commands_usable(access.channel.guild_id).await?;
        let usable: Vec<&Command> = commands.iter().filter(|c| usable(c, &access)).collect();
        let mut applications = Vec::new();
        let mut seen = Vec::new();
        for command in &usable {
            if seen.contains(&command.application_id) {
                continue;
            }
            seen.push(command.application_id);
            if let Some(bot) = self.store.user_by_id(command.application_id).await? {
                applications.push(
                    json!({"id": bot.id.to_string(), "name": bot.global_name.clone().unwrap_or(bot.username.clone()),
                    "icon": bot.avatar, "description": "", "bot_id": bot.id.to_string()}),
                );
            }
        }
        Ok(json!({
            "applications": applications,
            "application_commands": usable.iter().map(|c| render(c)).collect::<Vec<_>>(),
            "version": usable.iter().map(|c| c.version).max().unwrap_or(0).to_string(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discords_rules() {
        assert!(validate(&json!({"name": "echo", "description": "Says it"})).is_ok());
        assert!(
            validate(&json!({"name": "Echo", "description": "x"})).is_err(),
            "lowercase only"
        );
        assert!(
            validate(&json!({"name": "echo"})).is_err(),
            "a chat command needs a description"
        );
        assert!(
            validate(&json!({"name": "Say hi", "type": 2})).is_ok(),
            "context menus may have spaces and capitals"
        );
        assert!(validate(&json!({"name": "Say hi", "type": 2, "description": "no"})).is_err());
        let many: Vec<Value> = (0..26)
            .map(|i| json!({"type": 3, "name": format!("o{i}"), "description": "d"}))
            .collect();
        assert!(validate(&json!({"name": "x", "description": "d", "options": many})).is_err());
        let order = json!([{"type": 3, "name": "a", "description": "d"}, {"type": 3, "name": "b", "description": "d", "required": true}]);
        assert!(validate(&json!({"name": "x", "description": "d", "options": order})).is_err());
        let mixed = json!([{"type": 1, "name": "a", "description": "d"}, {"type": 3, "name": "b", "description": "d"}]);
        assert!(validate(&json!({"name": "x", "description": "d", "options": mixed})).is_err());
        let nested = json!([{"type": 2, "name": "g", "description": "d", "options": [{"type": 1, "name": "s", "description": "d",
            "options": [{"type": 4, "name": "n", "description": "d", "choices": [{"name": "one", "value": 1}]}]}]}]);
        assert!(validate(&json!({"name": "x", "description": "d", "options": nested})).is_ok());
        let bad_choice =
            json!([{"type": 4, "name": "n", "description": "d", "choices": [{"name": "one", "value": "1"}]}]);
        assert!(validate(&json!({"name": "x", "description": "d", "options": bad_choice})).is_err());
        let both = json!([{"type": 3, "name": "n", "description": "d", "autocomplete": true, "choices": [{"name": "a", "value": "a"}]}]);
        assert!(validate(&json!({"name": "x", "description": "d", "options": both})).is_err());
        let (_, _, kept) =
            validate(&json!({"name": "x", "description": "d", "default_member_permissions": 8, "id": "5"})).unwrap();
        assert_eq!(kept["default_member_permissions"], "8");
        assert!(kept.get("id").is_none());
    }
}

//! Building what the bot receives (the interaction's `data` with `resolved`, and the whole body), and taking
//! its answers: the callback (types 1, 4, 5, 6, 7, 8, 9), follow-ups and edits through the token.

use serde::Deserialize;
use serde_json::{Value, json};

use super::payload::{self, Resolved};
use super::{InteractionInput, Pending};
use crate::chat::mentions::{self, AllowedMentions};
use crate::chat::{Access, Chat, ChatError};
use crate::hub::{Audience, Event};
use crate::store::{Message, MessageExtra, MessagePatch, NewMessage, Snowflake, User};
use crate::wire;

const EPHEMERAL: i64 = 1 << 6;
const LOADING: i64 = 1 << 7;

/// A message a bot sends in answer (callback `data`, follow-ups, edits).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AnswerInput {
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub embeds: Option<Vec<Value>>,
    #[serde(default)]
    pub allowed_mentions: Option<AllowedMentions>,
    #[serde(default)]
    pub flags: Option<i64>,
    #[serde(default)]
    pub components: Option<Value>,
    #[serde(default, deserialize_with = "crate::chat::ids::null_as_default")]
    pub tts: bool,
    /// Autocomplete choices (type 8).
    #[serde(default)]
    pub choices: Option<Vec<Value>>,
    /// A form's custom id and title (type 9).
    #[serde(default)]
    pub custom_id: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
}

/// `POST /interactions/{id}/{token}/callback`.
#[derive(Debug, Clone, Deserialize)]
pub struct CallbackInput {
    #[serde(rename = "type")]
    pub kind: i64,
    #[serde(default)]
    pub data: Option<AnswerInput>,
}

impl Chat {
    /// The interaction's `data` (with `resolved`) and, for a component, its message.
    pub(super) async fn interaction_data(
        &self,
        actor: &User,
        access: &Access,
        bot: &User,
        input: &InteractionInput,
        pending: &mut Pending,
    ) -> Result<(Value, Option<Value>), ChatError> {
        let mut data = input.data.clone();
        if !data.is_object() {
            return Err(ChatError::invalid("data", "Must be an object"));
        }
        match input.kind {
            2 | 4 => {
                let command_id: Snowflake = data["id"]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| ChatError::invalid("data.id", "Unknown command"))?;
                let command = self
                    .store
                    .command_get(command_id)
                    .await?
                    .filter(|c| c.application_id == bot.id)
                    .ok_or(ChatError::UnknownCommand)?;
                if command.guild_id.is_some() && command.guild_id != access.channel.guild_id {
                    return Err(ChatError::UnknownCommand);
                }
                if !crate::chat::commands::usable(&command, access) {
                    return Err(ChatError::MissingPermissions);
                }
                data["name"] = json!(command.name);
                data["type"] = json!(command.kind);
                if let Some(guild) = command.guild_id {
                    data["guild_id"] = json!(guild.to_string());
                }
                pending.command = Some((command.name.clone(), command.kind));
                let mut resolved = Resolved::default();
                let mut values = Vec::new();
                payload::option_values(&data["options"], &mut values);
                if command.kind == 2 || command.kind == 3 {
                    let target: Snowflake = data["target_id"]
                        .as_str()
                        .and_then(|s| s.parse().ok())
                        .ok_or_else(|| ChatError::invalid("data.target_id", "A context menu needs a target"))?;
                    pending.target_id = Some(target);
                    if command.kind == 2 {
                        values.push((6, target.to_string()));
                    } else {
                        let message = self
                            .store
                            .message_get(access.channel.id, target, actor.id)
                            .await?
                            .ok_or(ChatError::UnknownMessage)?;
                        resolved
                            .messages
                            .push(wire::message(&message, access.channel.guild_id, None, &self.urls));
                    }
                }
                self.resolve(access, &values, &mut resolved).await?;
                if !resolved.is_empty() {
                    data["resolved"] = resolved.to_json();
                }
                Ok((data, None))
            }
            3 => {
                let message_id = input
                    .message_id
                    .ok_or_else(|| ChatError::invalid("message_id", "A component interaction names its message"))?;
                let message = self
                    .store
                    .message_get(access.channel.id, message_id, actor.id)
                    .await?
                    .ok_or(ChatError::UnknownMessage)?;
                if message.author.id != bot.id {
                    return Err(ChatError::UnknownMessage);
                }
                let custom_id = data["custom_id"].as_str().unwrap_or_default().to_owned();
                let kind = payload::has_custom_id(&message, &custom_id)
                    .ok_or_else(|| ChatError::invalid("data.custom_id", "No such component on the message"))?;
                data["component_type"] = json!(kind);
                if kind != 2 && !data["values"].is_array() {
                    data["values"] = json!([]);
                }
                if matches!(kind, 5..=8) {
                    let mut values = Vec::new();
                    for value in data["values"].as_array().into_iter().flatten() {
                        let kind = match kind {
                            5 => 6,
                            6 => 8,
                            8 => 7,
                            _ => 9,
                        };
                        values.push((kind, value.as_str().unwrap_or_default().to_owned()));
                    }
                    let mut resolved = Resolved::default();
                    self.resolve(access, &values, &mut resolved).await?;
                    data["resolved"] = resolved.to_json();
                } else if let Some(object) = data.as_object_mut() {
                    // A string select's values are the values: discord.py drops them when `resolved` is there.
                    object.remove("resolved");
                }
                pending.component_message = Some(message.id);
                let message = wire::message(&message, access.channel.guild_id, None, &self.urls);
                Ok((data, Some(message)))
            }
            5 => {
                let custom_id = data["custom_id"].as_str().unwrap_or_default().to_owned();
                let opened = self
                    .interactions
                    .modals
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .remove(&(actor.id, custom_id.clone()));
                if opened.is_none() {
                    return Err(ChatError::invalid(
                        "data.custom_id",
                        "No form with this id was opened for you",
                    ));
                }
                data["components"] = payload::numbered_submission(&data["components"]);
                Ok((data, None))
            }
            _ => Err(ChatError::invalid("type", "Must be 2, 3, 4 or 5")),
        }
    }

    /// Users (with their membership), roles and channels named by option values or a target.
    async fn resolve(&self, access: &Access, values: &[(i64, String)], out: &mut Resolved) -> Result<(), ChatError> {
        let guild = access.channel.guild_id;
        let roles = match guild {
            Some(g) => self.store.roles(g).await?,
            None => Vec::new(),
        };
        for (kind, value) in values {
            let Ok(id) = value.parse::<Snowflake>() else { continue };
            if matches!(kind, 6 | 9)
                && let Some(user) = self.store.user_by_id(id).await?
            {
                let member = match guild {
                    Some(g) => self.store.member_get(g, id).await?.map(|m| (m, 0)),
                    None => None,
                };
                if !out.users.iter().any(|(u, _)| u.id == id) {
                    out.users.push((user, member));
                }
                continue;
            }
            if matches!(kind, 8 | 9)
                && let Some(role) = roles.iter().find(|r| r.id == id)
            {
                out.roles.push(role.clone());
                continue;
            }
            if *kind == 7
                && let Some(channel) = self.store.channel_get(id).await?.filter(|c| c.guild_id == guild)
            {
                out.channels.push(channel);
            }
        }
        Ok(())
    }

    /// The whole INTERACTION_CREATE body.
    pub(super) async fn interaction_body(
        &self,
        actor: &User,
        access: &Access,
        bot: &User,
        pending: &Pending,
        data: Value,
        message: Option<Value>,
    ) -> Result<Value, ChatError> {
        let app_permissions = match access.channel.guild_id {
            Some(_) => self.access(bot, access.channel.id).await.map(|a| a.perms).unwrap_or(0),
            None => crate::perms::bits::IN_PRIVATE,
        };
        let limit = 25 * 1024 * 1024;
        let mut body = json!({
            "id": pending.id.to_string(),
            "application_id": bot.id.to_string(),
            "type": pending.kind,
            "data": data,
            "channel": payload::channel(&access.channel),
            "channel_id": access.channel.id.to_string(),
            "token": pending.token,
            "version": 1,
            "app_permissions": app_permissions.to_string(),
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": limit,
        });
        match (access.channel.guild_id, &access.member) {
            (Some(guild), Some(member)) => {
                let mut value = payload::member(member, access.perms);
                value["user"] = payload::user(actor);
                body["member"] = value;
                body["guild_id"] = json!(guild.to_string());
                body["guild_locale"] = json!("en-US");
                body["guild"] = json!({"id": guild.to_string(), "locale": "en-US", "features": []});
                body["authorizing_integration_owners"] = json!({"0": guild.to_string()});
                body["context"] = json!(0);
            }
            _ => {
                body["user"] = payload::user(actor);
                body["authorizing_integration_owners"] = json!({"0": "0"});
                body["context"] = json!(if access.recipients.contains(&bot.id) { 1 } else { 2 });
            }
        }
        if let Some(message) = message {
            body["message"] = message;
        }
        Ok(body)
    }

    /// `interaction_metadata` for an answer.
    fn metadata(&self, pending: &Pending, invoker: &User) -> Value {
        let mut meta = json!({
            "id": pending.id.to_string(),
            "type": pending.kind,
            "user": payload::user(invoker),
            "authorizing_integration_owners": match pending.guild_id {
                Some(g) => json!({"0": g.to_string()}),
                None => json!({"0": "0"}),
            },
        });
        if let Some((name, kind)) = &pending.command {
            meta["name"] = json!(name);
            meta["command_type"] = json!(kind);
        }
        if let Some(target) = pending.target_id {
            match pending.command.as_ref().map(|c| c.1) {
                Some(2) => meta["target_user"] = json!({"id": target.to_string()}),
                Some(3) => meta["target_message_id"] = json!(target.to_string()),
                _ => {}
            }
        }
        if let Some(message) = pending.component_message {
            meta["interacted_message_id"] = json!(message.to_string());
        }
        meta
    }

    /// Posts an answer as the bot: stored and published, or (ephemeral) sent to the invoker only.
    pub(crate) async fn post_answer(
        &self,
        pending: &Pending,
        input: AnswerInput,
        loading: bool,
    ) -> Result<Message, ChatError> {
        let bot = self
            .store
            .user_by_id(pending.application_id)
            .await?
            .ok_or(ChatError::UnknownUser)?;
        let invoker = self
            .store
            .user_by_id(pending.user_id)
            .await?
            .ok_or(ChatError::UnknownUser)?;
        let content = input.content.clone().unwrap_or_default();
        self.check_content(&content)?;
        let embeds = crate::chat::messages::checked_embeds(input.embeds.as_deref())?;
        let components = match &input.components {
            Some(c) => Some(payload::checked_components(c, false)?),
            None => None,
        };
        let flags = input.flags.unwrap_or(0) & (EPHEMERAL | crate::chat::messages::SUPPRESS_EMBEDS)
            | if loading { LOADING } else { 0 };
        if !loading && content.trim().is_empty() && embeds.as_array().is_none_or(Vec::is_empty) && components.is_none()
        {
            return Err(ChatError::EmptyMessage);
        }
        let found = mentions::parse(&content, input.allowed_mentions.as_ref(), true);
        let kind = match pending.command.as_ref().map(|c| c.1) {
            Some(1) => 20,
            Some(_) => 23,
            None => 0,
        };
        let extra = MessageExtra {
            application_id: Some(bot.id),
            components,
            interaction: Some(self.metadata(pending, &invoker)),
            ..MessageExtra::default()
        };
        let access = self.answer_access(pending).await?;
        if flags & EPHEMERAL != 0 {
            let message = Message {
                id: self.store.next_id(),
                channel_id: pending.channel_id,
                author: bot,
                content,
                kind,
                flags,
                tts: false,
                nonce: None,
                edited_at: None,
                pinned: false,
                mention_everyone: false,
                mentions: Vec::new(),
                mention_roles: Vec::new(),
                embeds,
                link_embeds: json!([]),
                reference: None,
                thread: None,
                attachments: Vec::new(),
                reactions: Vec::new(),
                referenced: None,
                extra,
            };
            let data = wire::message(&message, pending.guild_id, None, &self.urls);
            self.hub
                .publish(Event::new("MESSAGE_CREATE", &data, Audience::User(pending.user_id), 0));
            let kept = message.clone();
            self.interactions.update(pending.id, |p| {
                p.ephemeral.insert(kept.id, kept);
            });
            return Ok(message);
        }
        let new = NewMessage {
            channel_id: pending.channel_id,
            author_id: bot.id,
            content,
            kind,
            flags,
            tts: input.tts,
            nonce: None,
            mention_everyone: found.everyone,
            mentions: found.users,
            mention_roles: found.roles,
            embeds,
            reference: None,
            attachments: Vec::new(),
            extra,
        };
        let (message, _) = self.store.message_create(new, None).await?;
        self.reopen_private(&access).await?;
        self.publish_message("MESSAGE_CREATE", &message, &access).await?;
        Ok(message)
    }

    /// Edits an answer (stored or ephemeral); `clear_loading` ends a deferred "thinking" state.
    pub(crate) async fn edit_answer(
        &self,
        pending: &Pending,
        id: Snowflake,
        input: AnswerInput,
    ) -> Result<Message, ChatError> {
        if let Some(mut message) = pending.ephemeral.get(&id).cloned() {
            if let Some(content) = input.content {
                self.check_content(&content)?;
                message.content = content;
            }
            if let Some(embeds) = input.embeds.as_deref() {
                message.embeds = crate::chat::messages::checked_embeds(Some(embeds))?;
            }
            if let Some(components) = &input.components {
                message.extra.components = Some(payload::checked_components(components, false)?);
            }
            message.flags &= !LOADING;
            message.edited_at = Some(self.clock.now_ms());
            let data = wire::message(&message, pending.guild_id, None, &self.urls);
            self.hub
                .publish(Event::new("MESSAGE_UPDATE", &data, Audience::User(pending.user_id), 0));
            let kept = message.clone();
            self.interactions.update(pending.id, |p| {
                p.ephemeral.insert(kept.id, kept);
            });
            return Ok(message);
        }
        let before = self
            .store
            .message_get(pending.channel_id, id, pending.application_id)
            .await?
            .ok_or(ChatError::UnknownMessage)?;
        if before.author.id != pending.application_id {
            return Err(ChatError::UnknownMessage);
        }
        let mut patch = MessagePatch::default();
        if let Some(content) = input.content {
            self.check_content(&content)?;
            let found = mentions::parse(&content, input.allowed_mentions.as_ref(), true);
            patch.content = Some((content, found.users, found.roles, found.everyone));
        }
        if let Some(embeds) = input.embeds.as_deref() {
            patch.embeds = Some(crate::chat::messages::checked_embeds(Some(embeds))?);
        }
        if let Some(components) = &input.components {
            let mut extra = before.extra.clone();
            extra.components = Some(payload::checked_components(components, false)?);
            patch.extra = Some(extra);
        }
        if before.flags & LOADING != 0 {
            patch.flags = Some(before.flags & !LOADING);
        }
        let message = self
            .store
            .message_edit(pending.channel_id, id, patch, self.clock.now_ms())
            .await?;
        let access = self.answer_access(pending).await?;
        self.publish_message("MESSAGE_UPDATE", &message, &access).await?;
        Ok(message)
    }

    /// Deletes an answer.
    pub(crate) async fn delete_answer(&self, pending: &Pending, id: Snowflake) -> Result<(), ChatError> {
        let data = json!({"id": id.to_string(), "channel_id": pending.channel_id.to_string(),
            "guild_id": pending.guild_id.map(|g| g.to_string())});
        if pending.ephemeral.contains_key(&id) {
            self.interactions.update(pending.id, |p| {
                p.ephemeral.remove(&id);
            });
            self.hub
                .publish(Event::new("MESSAGE_DELETE", &data, Audience::User(pending.user_id), 0));
            return Ok(());
        }
        let message = self
            .store
            .message_get(pending.channel_id, id, pending.application_id)
            .await?
            .ok_or(ChatError::UnknownMessage)?;
        if message.author.id != pending.application_id {
            return Err(ChatError::UnknownMessage);
        }
        self.store.messages_delete(pending.channel_id, vec![id]).await?;
        let access = self.answer_access(pending).await?;
        self.hub
            .publish(Event::new("MESSAGE_DELETE", &data, access.audience(), 0));
        Ok(())
    }

    /// The callback: the bot's first answer. Returns Discord's callback response (the interaction, and the
    /// message made, if any).
    pub async fn interaction_callback(
        &self,
        id: Snowflake,
        token: &str,
        input: CallbackInput,
    ) -> Result<Value, ChatError> {
        let now = self.clock.now_ms();
        let pending = self
            .interactions
            .get(id, token, now)
            .ok_or(ChatError::UnknownInteraction)?;
        if pending.expired {
            return Err(ChatError::UnknownInteraction);
        }
        if pending.answered {
            return Err(ChatError::AlreadyAcknowledged);
        }
        let data = input.data.unwrap_or_default();
        let valid = match input.kind {
            4 | 5 | 9 => matches!(pending.kind, 2 | 3 | 5),
            6 | 7 => pending.kind == 3 || pending.kind == 5,
            8 => pending.kind == 4,
            _ => false,
        };
        if !valid {
            return Err(ChatError::invalid(
                "type",
                "This response type does not fit this interaction",
            ));
        }
        let mut resource = Value::Null;
        let mut response_message = None;
        match input.kind {
            4 | 5 => {
                let message = self.post_answer(&pending, data, input.kind == 5).await?;
                self.interactions.update(id, |p| p.original = Some(message.id));
                response_message = Some(message);
            }
            6 => {}
            7 => {
                let target = pending
                    .component_message
                    .ok_or_else(|| ChatError::invalid("type", "Nothing to update"))?;
                let message = self.edit_answer(&pending, target, data).await?;
                self.interactions.update(id, |p| p.original = Some(message.id));
                response_message = Some(message);
            }
            8 => {
                let choices = data.choices.unwrap_or_default();
                if choices.len() > 25 {
                    return Err(ChatError::invalid("data.choices", "Must be 25 or fewer in length."));
                }
                self.tell(
                    pending.user_id,
                    "APPLICATION_COMMAND_AUTOCOMPLETE_RESPONSE",
                    &json!({"nonce": pending.nonce, "choices": choices}),
                );
            }
            9 => {
                let custom_id = data
                    .custom_id
                    .clone()
                    .filter(|c| !c.is_empty() && c.chars().count() <= 100)
                    .ok_or_else(|| ChatError::invalid("data.custom_id", "A form needs a custom_id"))?;
                let title = data
                    .title
                    .clone()
                    .filter(|t| !t.is_empty() && t.chars().count() <= 45)
                    .ok_or_else(|| ChatError::invalid("data.title", "A form needs a title of at most 45 characters"))?;
                let components = payload::checked_components(&data.components.clone().unwrap_or(Value::Null), true)?;
                let bot = self
                    .store
                    .user_by_id(pending.application_id)
                    .await?
                    .ok_or(ChatError::UnknownUser)?;
                self.interactions
                    .modals
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert((pending.user_id, custom_id.clone()), id);
                self.tell(pending.user_id, "INTERACTION_MODAL_CREATE", &json!({"id": id.to_string(), "nonce": pending.nonce,
                    "application": {"id": bot.id.to_string(), "name": bot.global_name.clone().unwrap_or(bot.username.clone()), "icon": bot.avatar},
                    "custom_id": custom_id, "title": title, "components": components}));
            }
            _ => unreachable!("checked above"),
        }
        self.interactions.update(id, |p| p.answered = true);
        if input.kind != 8 {
            self.tell(
                pending.user_id,
                "INTERACTION_SUCCESS",
                &json!({"id": id.to_string(), "nonce": pending.nonce}),
            );
        }
        let mut interaction = json!({"id": id.to_string(), "type": pending.kind});
        if let Some(message) = &response_message {
            interaction["response_message_id"] = json!(message.id.to_string());
            interaction["response_message_loading"] = json!(message.flags & LOADING != 0);
            interaction["response_message_ephemeral"] = json!(message.flags & EPHEMERAL != 0);
            resource =
                json!({"type": input.kind, "message": wire::message(message, pending.guild_id, None, &self.urls)});
        } else if input.kind != 8 {
            resource = json!({"type": input.kind});
        }
        let mut out = json!({"interaction": interaction});
        if !resource.is_null() {
            out["resource"] = resource;
        }
        Ok(out)
    }
}

//! Discord's JSON object shapes (API v10): users, members, roles, channels, threads, messages, guilds.
//!
//! REST responses and gateway dispatches render objects here, so a bot sees the same shape from both. This module
//! only turns store values into JSON; it decides nothing.

use serde_json::{Value, json};

use crate::clock::iso8601;
use crate::store::{Channel, ChannelKind, Guild, Member, Message, Role, Snowflake, User, timestamp_ms};

/// A snowflake as Discord sends it: a string.
pub fn id(id: Snowflake) -> Value {
    Value::String(id.to_string())
}

fn opt_id(value: Option<Snowflake>) -> Value {
    value.map_or(Value::Null, id)
}

/// A user object.
pub fn user(user: &User) -> Value {
    json!({
        "id": id(user.id),
        "username": user.username,
        "global_name": user.global_name,
        "discriminator": "0",
        "avatar": user.avatar,
        "bot": user.is_bot,
        "system": false,
        "public_flags": 0,
        "flags": 0,
        "banner": null,
        "accent_color": null,
        "avatar_decoration_data": null,
    })
}

/// The current user (`/users/@me`, READY).
pub fn current_user(me: &User) -> Value {
    let mut value = user(me);
    value["mfa_enabled"] = json!(false);
    value["verified"] = json!(true);
    value["locale"] = json!("en-US");
    value["premium_type"] = json!(0);
    value["email"] = Value::Null;
    value
}

/// A guild member object (with its user).
pub fn member(member: &Member) -> Value {
    json!({
        "user": user(&member.user),
        "nick": member.nick,
        "avatar": null,
        "roles": member.roles.iter().map(|r| id(*r)).collect::<Vec<_>>(),
        "joined_at": iso8601(member.joined_at),
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": null,
    })
}

/// A role object.
pub fn role(role: &Role) -> Value {
    json!({
        "id": id(role.id),
        "name": role.name,
        "color": role.color,
        "colors": {"primary_color": role.color, "secondary_color": null, "tertiary_color": null},
        "hoist": role.hoist,
        "icon": null,
        "unicode_emoji": null,
        "position": role.position,
        "permissions": role.permissions.to_string(),
        "managed": false,
        "mentionable": role.mentionable,
        "flags": 0,
    })
}

/// A channel or thread object.
pub fn channel(channel: &Channel) -> Value {
    let mut value = json!({
        "id": id(channel.id),
        "type": channel.kind.code(),
        "guild_id": id(channel.guild_id),
        "name": channel.name,
        "position": channel.position,
        "parent_id": opt_id(channel.parent_id),
        "permission_overwrites": channel.overwrites.iter().map(|o| json!({
            "id": id(o.target_id),
            "type": o.kind,
            "allow": o.allow.to_string(),
            "deny": o.deny.to_string(),
        })).collect::<Vec<_>>(),
        "flags": 0,
    });
    match channel.kind {
        ChannelKind::Text => {
            value["topic"] = json!(channel.topic);
            value["nsfw"] = json!(channel.nsfw);
            value["last_message_id"] = opt_id(channel.last_message_id);
            value["rate_limit_per_user"] = json!(channel.rate_limit_per_user);
            value["last_pin_timestamp"] = channel.last_pin_timestamp.map_or(Value::Null, |t| json!(iso8601(t)));
        }
        ChannelKind::Voice => {
            value["bitrate"] = json!(64000);
            value["user_limit"] = json!(0);
            value["rtc_region"] = Value::Null;
            value["nsfw"] = json!(false);
            value["last_message_id"] = opt_id(channel.last_message_id);
            value["rate_limit_per_user"] = json!(0);
        }
        kind if kind.is_thread() => {
            value["owner_id"] = opt_id(channel.owner_id);
            value["last_message_id"] = opt_id(channel.last_message_id);
            value["rate_limit_per_user"] = json!(channel.rate_limit_per_user);
            value["message_count"] = json!(channel.message_count);
            value["member_count"] = json!(0);
            value["total_message_sent"] = json!(channel.message_count);
            value["thread_metadata"] = json!({
                "archived": channel.archived,
                "auto_archive_duration": channel.auto_archive_duration,
                "archive_timestamp": iso8601(channel.archive_timestamp.unwrap_or(channel.created_at)),
                "locked": channel.locked,
                "invitable": true,
                "create_timestamp": iso8601(channel.created_at),
            });
            value.as_object_mut().map(|o| o.remove("permission_overwrites"));
            value.as_object_mut().map(|o| o.remove("position"));
        }
        _ => {}
    }
    value
}

/// The embeds a message shows: its author's, then its link previews — none at all under SUPPRESS_EMBEDS.
fn shown_embeds(message: &Message) -> Value {
    const SUPPRESS_EMBEDS: i64 = 1 << 2;
    if message.flags & SUPPRESS_EMBEDS != 0 {
        return json!([]);
    }
    let own = message.embeds.as_array().into_iter().flatten();
    let links = message.link_embeds.as_array().into_iter().flatten();
    Value::Array(own.chain(links).cloned().collect())
}

/// A message object. `guild_id` and the author's `member` are included for guild messages, as in dispatches.
pub fn message(message: &Message, guild_id: Option<Snowflake>, author_member: Option<&Member>) -> Value {
    let mut value = json!({
        "id": id(message.id),
        "channel_id": id(message.channel_id),
        "author": user(&message.author),
        "content": message.content,
        "timestamp": iso8601(timestamp_ms(message.id)),
        "edited_timestamp": message.edited_at.map_or(Value::Null, |t| json!(iso8601(t))),
        "tts": message.tts,
        "mention_everyone": message.mention_everyone,
        "mentions": message.mentions.iter().map(user).collect::<Vec<_>>(),
        "mention_roles": message.mention_roles.iter().map(|r| id(*r)).collect::<Vec<_>>(),
        "mention_channels": [],
        "attachments": message.attachments.iter().map(|a| attachment(message.channel_id, a)).collect::<Vec<_>>(),
        "embeds": shown_embeds(message),
        "reactions": message.reactions.iter().map(|r| json!({
            "count": r.count,
            "count_details": {"burst": 0, "normal": r.count},
            "me": r.me,
            "me_burst": false,
            "burst_colors": [],
            "emoji": {"id": null, "name": r.emoji},
        })).collect::<Vec<_>>(),
        "pinned": message.pinned,
        "type": message.kind,
        "flags": message.flags,
        "components": [],
        "sticker_items": [],
    });
    if let Some(nonce) = &message.nonce {
        value["nonce"] = json!(nonce);
    }
    if let Some(guild) = guild_id {
        value["guild_id"] = id(guild);
    }
    if let Some(member) = author_member {
        let mut partial = self::member(member);
        partial.as_object_mut().map(|o| o.remove("user"));
        value["member"] = partial;
    }
    if let Some((channel, referenced)) = message.reference {
        value["message_reference"] = json!({
            "type": 0,
            "message_id": id(referenced),
            "channel_id": id(channel),
            "guild_id": opt_id(guild_id),
        });
        value["referenced_message"] = message
            .referenced
            .as_ref()
            .map_or(Value::Null, |m| self::message(m, None, None));
    }
    if let Some(thread) = message.thread_id {
        value["thread"] = json!({"id": id(thread)});
    }
    value
}

/// An attachment object, served from the CDN-style path.
pub fn attachment(channel_id: Snowflake, a: &crate::store::Attachment) -> Value {
    let url = format!("/attachments/{}/{}/{}", channel_id, a.id, urlencode(&a.filename));
    json!({
        "id": id(a.id),
        "filename": a.filename,
        "description": a.description,
        "content_type": a.content_type,
        "size": a.size,
        "url": url,
        "proxy_url": url,
        "width": a.width,
        "height": a.height,
        "ephemeral": false,
    })
}

/// A guild object, for `GET /guilds/{id}`.
pub fn guild(guild: &Guild, roles: &[Role]) -> Value {
    json!({
        "id": id(guild.id),
        "name": guild.name,
        "icon": guild.icon,
        "icon_hash": guild.icon,
        "splash": null,
        "discovery_splash": null,
        "owner_id": id(guild.owner_id),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "roles": roles.iter().map(role).collect::<Vec<_>>(),
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": guild.channels.iter().find(|c| c.kind == ChannelKind::Text).map_or(Value::Null, |c| id(c.id)),
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "max_members": 500,
        "max_video_channel_users": 25,
    })
}

/// Percent-encodes a path segment.
pub fn urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

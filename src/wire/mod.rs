//! Discord's JSON objects (API v10) as typed structs: users, members, roles, channels and threads, messages,
//! attachments, embeds, reactions, guilds.
//!
//! REST responses and gateway dispatches render objects here, so a bot sees the same shape from both, and the web
//! client's TypeScript types (`web/src/api/wire.ts`) are generated from these structs (`typescript.rs`), so a field
//! added on one side shows on the other. A field Discord leaves out when unset is left out here too
//! (`skip_serializing_if`), never sent as `null`. This module turns store values into wire objects and checks
//! the embeds clients send; it decides nothing else.

mod application;
mod channel;
mod embed;
mod events;
mod expression;
mod gateway;
mod guild;
mod message;
mod private;
mod rest;
mod settings;
#[cfg(test)]
mod typescript;
mod urls;
mod user;
mod webhook;

use serde::{Serialize, Serializer};
use serde_json::Value;
use ts_rs::TS;

pub use application::Application;
pub use channel::Channel;
pub use embed::{Embed, parse_embeds};
pub use events::{
    ChannelPinsUpdate, GuildMemberRemove, GuildRoleDelete, GuildRoleEvent, MessageAck, MessageDelete,
    MessageDeleteBulk, ReactionEmoji, ReactionEvent, ReactionsCleared, ThreadCreate, ThreadMember, ThreadMembersUpdate,
    TypingStart,
};
pub use expression::{
    GuildEmoji, GuildEmojisUpdate, GuildStickersUpdate, SoundboardSound, SoundboardSoundDelete, SoundboardSounds,
    Sticker, StickerItem, VoiceChannelEffect,
};
pub use gateway::{
    ClientStatus, GuildCreate, PartialApplication, PartialUser, Presence, ReadStateEntry, ReadStates, Ready,
    ReadyPrivateChannel, UnavailableGuild, VoiceServerUpdate, VoiceState,
};
pub use guild::Guild;
pub use message::Message;
pub use private::{Call, CallDelete, ChannelRecipient, PrivateChannel, Relationship, RelationshipRemove, UserSettings};
pub use rest::{Invite, InviteChannel, InviteGuild, PinnedMessage, Pins, SearchResults};
pub use settings::{ChannelOverride, MuteConfig, UserGuildSettings, UserGuildSettingsList};
pub use urls::{Signature, Urls};
pub use user::{CurrentUser, Member, MemberInfo, Role, User};
pub use webhook::Webhook;

use crate::store::{self, Snowflake};

/// A snowflake as Discord sends it: a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, TS)]
pub struct Id(#[ts(type = "string")] pub Snowflake);

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

fn to_value(object: impl Serialize) -> Value {
    serde_json::to_value(object).expect("wire objects serialize to JSON")
}

/// A wire object as JSON text, for a dispatch.
pub fn to_json(object: &impl Serialize) -> String {
    serde_json::to_string(object).expect("wire objects serialize to JSON")
}

/// A snowflake as Discord sends it: a string.
pub fn id(id: Snowflake) -> Value {
    Value::String(id.to_string())
}

/// A user object.
pub fn user(user: &store::User) -> Value {
    to_value(User::from(user))
}

/// The current user (`/users/@me`, READY).
pub fn current_user(me: &store::User) -> Value {
    to_value(CurrentUser::from(me))
}

/// A guild member object (with its user).
pub fn member(member: &store::Member) -> Value {
    to_value(Member::from(member))
}

/// A role object.
pub fn role(role: &store::Role) -> Value {
    to_value(Role::from(role))
}

/// A channel or thread object.
pub fn channel(channel: &store::Channel) -> Value {
    to_value(Channel::from(channel))
}

/// A message object. `guild_id` and the author's `member` are included for guild messages, as in dispatches.
pub fn message(
    message: &store::Message,
    guild_id: Option<Snowflake>,
    author_member: Option<&store::Member>,
    urls: &Urls,
) -> Value {
    to_value(Message::new(message, guild_id, author_member, urls))
}

/// A guild object, for `GET /guilds/{id}` and GUILD_UPDATE (libraries replace their emoji and stickers with
/// what it carries).
pub fn guild(
    guild: &store::Guild,
    roles: &[store::Role],
    emojis: &[store::Emoji],
    stickers: &[store::Sticker],
) -> Value {
    to_value(Guild::with_expressions(guild, roles, emojis, stickers))
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

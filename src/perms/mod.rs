//! Permissions: Discord's bitfield and its calculation from roles and channel overwrites.
//!
//! One function, [`compute`], answers "what may this member do in this channel". REST handlers use it to
//! refuse requests and the gateway uses it to decide which events a session receives, so the two can never
//! disagree. It is pure: callers load a [`Context`] from the store.

use std::collections::HashMap;

use crate::ids::Snowflake;

/// Discord permission bits spot uses (the numbering is Discord's).
pub mod bits {
    pub const CREATE_INSTANT_INVITE: u64 = 1 << 0;
    pub const KICK_MEMBERS: u64 = 1 << 1;
    pub const ADMINISTRATOR: u64 = 1 << 3;
    pub const MANAGE_CHANNELS: u64 = 1 << 4;
    pub const MANAGE_GUILD: u64 = 1 << 5;
    pub const ADD_REACTIONS: u64 = 1 << 6;
    pub const STREAM: u64 = 1 << 9;
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    pub const SEND_MESSAGES: u64 = 1 << 11;
    pub const MANAGE_MESSAGES: u64 = 1 << 13;
    pub const EMBED_LINKS: u64 = 1 << 14;
    pub const ATTACH_FILES: u64 = 1 << 15;
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    pub const MENTION_EVERYONE: u64 = 1 << 17;
    pub const CONNECT: u64 = 1 << 20;
    pub const SPEAK: u64 = 1 << 21;
    pub const MUTE_MEMBERS: u64 = 1 << 22;
    pub const DEAFEN_MEMBERS: u64 = 1 << 23;
    pub const MOVE_MEMBERS: u64 = 1 << 24;
    pub const MANAGE_ROLES: u64 = 1 << 28;
    pub const MANAGE_WEBHOOKS: u64 = 1 << 29;
    pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
    pub const MANAGE_THREADS: u64 = 1 << 34;
    pub const CREATE_PUBLIC_THREADS: u64 = 1 << 35;
    pub const CREATE_PRIVATE_THREADS: u64 = 1 << 36;
    pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
    pub const USE_EXTERNAL_EMOJIS: u64 = 1 << 18;
    pub const MANAGE_GUILD_EXPRESSIONS: u64 = 1 << 30;
    pub const USE_SOUNDBOARD: u64 = 1 << 42;
    pub const CREATE_GUILD_EXPRESSIONS: u64 = 1 << 43;
    pub const USE_EXTERNAL_SOUNDS: u64 = 1 << 45;
    pub const SEND_VOICE_MESSAGES: u64 = 1 << 46;
    /// Every bit Discord defines (up to bit 51).
    pub const ALL: u64 = (1 << 52) - 1;
    /// What `@everyone` may do in a new home space: read, write, react, attach, start threads, talk, add and
    /// use the space's emoji, stickers and sounds, send voice messages.
    pub const DEFAULT_EVERYONE: u64 =
        517_647_748_672 | USE_SOUNDBOARD | CREATE_GUILD_EXPRESSIONS | USE_EXTERNAL_SOUNDS | SEND_VOICE_MESSAGES;
    /// What each person in a DM or group DM may do there (Discord's implicit DM permissions): read, write,
    /// react, embed, attach, use emoji, call, speak, share a screen. Nobody else has any.
    pub const IN_PRIVATE: u64 = VIEW_CHANNEL
        | SEND_MESSAGES
        | ADD_REACTIONS
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | USE_EXTERNAL_EMOJIS
        | CONNECT
        | SPEAK
        | STREAM
        | (1 << 25);
    /// What a new bot's role grants: what everyone may do, plus tidying messages and threads.
    pub const DEFAULT_BOT: u64 = DEFAULT_EVERYONE | MANAGE_MESSAGES | MANAGE_THREADS;
}

/// A channel permission overwrite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overwrite {
    /// A role id (kind 0) or a user id (kind 1).
    pub target_id: Snowflake,
    /// 0 role, 1 member.
    pub kind: i64,
    /// Bits allowed.
    pub allow: u64,
    /// Bits denied.
    pub deny: u64,
}

/// Everything the calculation needs about one member and one channel.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The guild (its id is also the `@everyone` role's id).
    pub guild_id: Snowflake,
    /// The guild owner.
    pub owner_id: Snowflake,
    /// The member.
    pub user_id: Snowflake,
    /// Instance admins are administrators in the home space.
    pub instance_admin: bool,
    /// Permission bits of every role in the guild, by id (including `@everyone`).
    pub role_permissions: HashMap<Snowflake, u64>,
    /// The member's roles (without `@everyone`).
    pub member_roles: Vec<Snowflake>,
    /// The channel's overwrites (for a thread: its parent's).
    pub overwrites: Vec<Overwrite>,
}

/// The member's guild-level permissions (roles only).
pub fn guild_level(ctx: &Context) -> u64 {
    if ctx.user_id == ctx.owner_id || ctx.instance_admin {
        return bits::ALL;
    }
    let mut perms = ctx.role_permissions.get(&ctx.guild_id).copied().unwrap_or(0);
    for role in &ctx.member_roles {
        perms |= ctx.role_permissions.get(role).copied().unwrap_or(0);
    }
    if perms & bits::ADMINISTRATOR != 0 {
        bits::ALL
    } else {
        perms
    }
}

/// The member's permissions in the channel: roles, then `@everyone`, role and member overwrites in Discord's
/// order. Without VIEW_CHANNEL nothing else applies.
pub fn compute(ctx: &Context) -> u64 {
    let base = guild_level(ctx);
    if base & bits::ADMINISTRATOR != 0 {
        return bits::ALL;
    }
    let mut perms = base;
    if let Some(everyone) = ctx
        .overwrites
        .iter()
        .find(|o| o.kind == 0 && o.target_id == ctx.guild_id)
    {
        perms = (perms & !everyone.deny) | everyone.allow;
    }
    let (mut allow, mut deny) = (0, 0);
    for overwrite in ctx
        .overwrites
        .iter()
        .filter(|o| o.kind == 0 && ctx.member_roles.contains(&o.target_id))
    {
        allow |= overwrite.allow;
        deny |= overwrite.deny;
    }
    perms = (perms & !deny) | allow;
    if let Some(member) = ctx
        .overwrites
        .iter()
        .find(|o| o.kind == 1 && o.target_id == ctx.user_id)
    {
        perms = (perms & !member.deny) | member.allow;
    }
    if perms & bits::VIEW_CHANNEL == 0 {
        return 0;
    }
    perms
}

/// Whether `perms` include every bit of `needed`.
pub fn has(perms: u64, needed: u64) -> bool {
    perms & needed == needed
}

#[cfg(test)]
mod tests;

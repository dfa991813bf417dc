//! Gateway intents (Discord's bit numbers): which events a session asked for.

pub const GUILDS: u64 = 1 << 0;
pub const GUILD_MEMBERS: u64 = 1 << 1;
/// Custom emoji, stickers and soundboard sounds (Discord's GUILD_EXPRESSIONS, once GUILD_EMOJIS_AND_STICKERS).
pub const GUILD_EXPRESSIONS: u64 = 1 << 3;
pub const GUILD_VOICE_STATES: u64 = 1 << 7;
pub const GUILD_PRESENCES: u64 = 1 << 8;
pub const GUILD_MESSAGES: u64 = 1 << 9;
pub const GUILD_MESSAGE_REACTIONS: u64 = 1 << 10;
pub const GUILD_MESSAGE_TYPING: u64 = 1 << 11;
pub const DIRECT_MESSAGES: u64 = 1 << 12;
pub const DIRECT_MESSAGE_REACTIONS: u64 = 1 << 13;
pub const DIRECT_MESSAGE_TYPING: u64 = 1 << 14;
pub const MESSAGE_CONTENT: u64 = 1 << 15;
/// Intents that need to be allowed (Discord's "privileged" ones).
pub const PRIVILEGED: u64 = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT;

/// The application flags that tell libraries a bot may use the privileged intents (GATEWAY_PRESENCE,
/// GATEWAY_GUILD_MEMBERS, GATEWAY_MESSAGE_CONTENT): disnake, for one, fetches members only when it sees
/// them. 0 when `gateway.privileged_intents` is off.
pub fn application_flags(privileged_allowed: bool) -> u64 {
    if privileged_allowed {
        (1 << 12) | (1 << 14) | (1 << 18)
    } else {
        0
    }
}
/// Every intent bit Discord defines.
pub const ALL: u64 = (1 << 26) - 1;

//! The gateway wire format: opcodes, close codes, and the frames spot sends.

use serde::Deserialize;
use serde_json::Value;

/// Gateway opcodes (Discord's numbers). Dispatches (0) are written by [`dispatch`] as one string; spot never asks
/// a client to reconnect (7), it closes with a resumable code instead.
pub mod op {
    pub const HEARTBEAT: u8 = 1;
    pub const IDENTIFY: u8 = 2;
    pub const PRESENCE_UPDATE: u8 = 3;
    pub const VOICE_STATE_UPDATE: u8 = 4;
    pub const RESUME: u8 = 6;
    pub const REQUEST_GUILD_MEMBERS: u8 = 8;
    pub const INVALID_SESSION: u8 = 9;
    pub const HELLO: u8 = 10;
    pub const HEARTBEAT_ACK: u8 = 11;
}

/// Close codes (Discord's numbers and meanings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum Close {
    /// Something went wrong; reconnect (spot also uses it for a client too slow to keep up).
    UnknownError = 4000,
    /// An opcode the gateway does not know.
    UnknownOpcode = 4001,
    /// A payload that is not valid JSON or too large.
    DecodeError = 4002,
    /// A payload before IDENTIFY.
    NotAuthenticated = 4003,
    /// A bad token.
    AuthenticationFailed = 4004,
    /// A second IDENTIFY.
    AlreadyAuthenticated = 4005,
    /// Too many commands.
    RateLimited = 4008,
    /// No heartbeat in time.
    SessionTimedOut = 4009,
    /// A bad shard.
    InvalidShard = 4010,
    /// An API version other than 10.
    InvalidApiVersion = 4012,
    /// Intents with unknown bits.
    InvalidIntents = 4013,
    /// Privileged intents that are not allowed.
    DisallowedIntents = 4014,
    /// The server is stopping (WebSocket's 1001); clients reconnect.
    GoingAway = 1001,
}

impl Close {
    /// The reason text sent with the close frame.
    pub fn reason(self) -> &'static str {
        match self {
            Self::UnknownError => "Unknown error.",
            Self::UnknownOpcode => "Unknown opcode.",
            Self::DecodeError => "Error while decoding payload.",
            Self::NotAuthenticated => "Not authenticated.",
            Self::AuthenticationFailed => "Authentication failed.",
            Self::AlreadyAuthenticated => "Already authenticated.",
            Self::RateLimited => "Rate limited.",
            Self::SessionTimedOut => "Session timed out.",
            Self::InvalidShard => "Invalid shard.",
            Self::InvalidApiVersion => "Invalid API version.",
            Self::InvalidIntents => "Invalid intent(s).",
            Self::DisallowedIntents => "Disallowed intent(s).",
            Self::GoingAway => "Server shutting down.",
        }
    }
}

/// Largest payload a client may send, as on Discord.
pub const MAX_PAYLOAD: usize = 4096;

/// Reads one client payload, or the close code its problem earns (too big, not a JSON object, no opcode).
pub fn parse(text: &str) -> Result<Incoming, Close> {
    if text.len() > MAX_PAYLOAD {
        return Err(Close::DecodeError);
    }
    // A payload is an object (serde would also read `[1, 2]` as op 1 with d 2).
    if !text.trim_start().starts_with('{') {
        return Err(Close::DecodeError);
    }
    serde_json::from_str::<Incoming>(text).map_err(|_| Close::DecodeError)
}

/// A payload from the client.
#[derive(Debug, Deserialize)]
pub struct Incoming {
    /// Opcode.
    pub op: u8,
    /// Data.
    #[serde(default)]
    pub d: Value,
}

/// IDENTIFY's data.
#[derive(Debug, Deserialize)]
pub struct Identify {
    /// Bot token (or empty for a browser authenticated by its session cookie).
    #[serde(default)]
    pub token: String,
    /// Intents bitfield.
    pub intents: Option<u64>,
    /// `[shard_id, shard_count]`.
    pub shard: Option<[u64; 2]>,
    /// Initial presence.
    pub presence: Option<PresenceUpdate>,
    /// Client capabilities, as Discord's own clients send them; spot honours `DEDUPE_USER_OBJECTS`.
    #[serde(default)]
    pub capabilities: Option<u64>,
}

/// IDENTIFY capability: READY names DM recipients by id (`recipient_ids`) and sends each user once, in
/// `users`, leaving out the space's members (GUILD_CREATE carries those).
pub const DEDUPE_USER_OBJECTS: u64 = 1 << 4;

/// PRESENCE_UPDATE's data (and IDENTIFY's `presence`).
#[derive(Debug, Default, Deserialize)]
pub struct PresenceUpdate {
    /// `online`, `idle`, `dnd` or `invisible`.
    #[serde(default)]
    pub status: Option<String>,
    /// Activities.
    #[serde(default)]
    pub activities: Option<Value>,
    /// The client is not being looked at (the web client: its tab is hidden).
    #[serde(default)]
    pub afk: Option<bool>,
}

/// RESUME's data.
#[derive(Debug, Deserialize)]
pub struct Resume {
    /// Token.
    #[serde(default)]
    pub token: String,
    /// Session id (discord.py may send `null`).
    pub session_id: Option<String>,
    /// Last sequence received.
    pub seq: Option<u64>,
}

/// A frame without a sequence number (HELLO, ACK, INVALID_SESSION, RECONNECT).
pub fn control(op: u8, d: &Value) -> String {
    format!(r#"{{"op":{op},"d":{d},"s":null,"t":null}}"#)
}

/// A dispatch frame; `data` is the already-serialized `d`.
pub fn dispatch(name: &str, seq: u64, data: &str) -> String {
    // Built by hand into one allocation of the right size: this runs once per delivery.
    let mut frame = String::with_capacity(data.len() + name.len() + 40);
    frame.push_str(r#"{"op":0,"t":""#);
    frame.push_str(name);
    frame.push_str(r#"","s":"#);
    frame.push_str(&seq.to_string());
    frame.push_str(r#","d":"#);
    frame.push_str(data);
    frame.push('}');
    frame
}

#[cfg(test)]
mod tests {
    #[test]
    fn dispatch_frames_are_json() {
        let frame = super::dispatch("MESSAGE_CREATE", 42, r#"{"id":"1"}"#);
        let value: serde_json::Value = serde_json::from_str(&frame).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"op": 0, "t": "MESSAGE_CREATE", "s": 42, "d": {"id": "1"}})
        );
    }
}

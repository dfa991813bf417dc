//! The signaling messages of the embedded SFU, as JSON text frames on `GET /voice` (see
//! `docs/voice-signaling.md`). Signaling only carries SDP, ICE candidates and room bookkeeping; media never
//! passes here.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::config::IceServer;
use crate::voice::token::Grants;

/// What a published track carries, as the client declared it (video defaults to `camera`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Microphone audio.
    Microphone,
    /// Camera video.
    Camera,
    /// Screen or window video.
    Screen,
    /// Audio captured with a screenshare (tab audio).
    ScreenAudio,
}

/// A message from the client.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// The first message: the token from VOICE_SERVER_UPDATE.
    Identify {
        /// The voice token.
        token: String,
    },
    /// An SDP offer (the first one joins the room's media; later ones add or remove the client's tracks).
    Offer {
        /// The SDP text.
        sdp: String,
        /// What each of the client's sending m-lines carries, by mid.
        #[serde(default)]
        sources: HashMap<String, Source>,
    },
    /// The answer to a server offer.
    Answer {
        /// The SDP text.
        sdp: String,
    },
    /// A trickled ICE candidate (`candidate:…` as in `RTCIceCandidate.candidate`; empty at the end).
    Candidate {
        /// The candidate line.
        candidate: String,
    },
}

/// A track the server sends to the client: whose it is and what it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackInfo {
    /// The m-line in the client's peer connection (`RTCRtpTransceiver.mid`).
    pub mid: String,
    /// The user publishing it.
    pub user_id: String,
    /// `audio` or `video`.
    pub kind: &'static str,
    /// What it carries.
    pub source: Source,
}

/// Why the server ended a voice connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RemoveReason {
    /// The user left the channel (gateway opcode 4 with `channel_id` null, or their session ended).
    Left,
    /// The user was moved to another channel (a new VOICE_SERVER_UPDATE follows).
    Moved,
    /// A moderator disconnected them.
    Disconnected,
    /// A newer voice connection of the same user took over.
    Replaced,
    /// Nothing was heard from the client for `voice.peer_timeout`, or ICE failed.
    TimedOut,
    /// The client could not keep up with signaling messages.
    TooSlow,
    /// The server is stopping.
    Shutdown,
}

/// Machine-readable error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The token is forged, expired, or for a room the user is no longer in.
    InvalidToken,
    /// A message that is not JSON, not one of the types, or out of order.
    BadMessage,
    /// SDP that cannot be parsed or negotiated.
    BadSdp,
    /// An ICE candidate that cannot be parsed.
    BadCandidate,
    /// The room is full.
    RoomFull,
}

impl ErrorCode {
    /// The WebSocket close code that follows the error message.
    pub fn close_code(self) -> u16 {
        match self {
            Self::InvalidToken => close::AUTHENTICATION,
            Self::RoomFull => close::REMOVED,
            Self::BadMessage | Self::BadSdp | Self::BadCandidate => close::PROTOCOL,
        }
    }
}

/// WebSocket close codes of the signaling socket.
pub mod close {
    /// Forged or expired token, or no voice state in the token's room.
    pub const AUTHENTICATION: u16 = 4001;
    /// Malformed JSON, SDP or ICE candidate, or a message out of order.
    pub const PROTOCOL: u16 = 4002;
    /// Removed from the room (the `removed` message says why).
    pub const REMOVED: u16 = 4003;
}

/// A message from the server.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The token was accepted: create the peer connection with these ICE servers and send an offer.
    Ready {
        /// The user.
        user_id: String,
        /// The room.
        channel_id: String,
        /// STUN/TURN servers for `RTCPeerConnection` (`iceServers`).
        ice_servers: Vec<IceServer>,
        /// What the user may publish (tracks beyond these are received but not forwarded).
        grants: Grants,
    },
    /// The answer to the client's offer, with the tracks the server sends.
    Answer {
        /// The SDP text.
        sdp: String,
        /// Every track the server sends in this session.
        tracks: Vec<TrackInfo>,
    },
    /// A server-initiated offer: tracks of other participants were added or stopped.
    Offer {
        /// The SDP text.
        sdp: String,
        /// Every track the server sends once this offer is answered.
        tracks: Vec<TrackInfo>,
    },
    /// Something the client sent was refused; the socket closes after it.
    Error {
        /// What went wrong.
        code: ErrorCode,
        /// A sentence for logs.
        message: String,
    },
    /// The user is no longer in the room; the socket closes after it.
    Removed {
        /// Why.
        reason: RemoveReason,
    },
}

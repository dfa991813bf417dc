//! `[voice]`: voice and video rooms — which backend carries the media (the SFU inside spot, or a LiveKit
//! server), the embedded SFU's UDP port and addresses, the ICE servers handed to browsers, and timeouts.

use serde::{Deserialize, Serialize};

use super::HumanDuration;

/// Which server carries voice and video.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VoiceBackend {
    /// The SFU inside spot (str0m), one UDP port, nothing else to install.
    Embedded,
    /// A separate LiveKit server; spot only issues its access tokens.
    Livekit,
}

/// One STUN or TURN server, as a browser's `RTCIceServer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IceServer {
    /// `stun:host:port`, `turn:host:port?transport=udp`, `turns:host:443?transport=tcp`, …
    pub urls: Vec<String>,
    /// TURN user name (empty for STUN).
    #[serde(default)]
    pub username: String,
    /// TURN password (empty for STUN).
    #[serde(default)]
    pub credential: String,
}

/// `[voice]`: voice and video rooms.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct VoiceConfig {
    /// `embedded` (the SFU inside spot) or `livekit`.
    pub backend: VoiceBackend,
    /// UDP port of the embedded SFU; all media of all rooms uses it. 0 picks a free port (logged at start).
    pub udp_port: u16,
    /// Address the UDP socket binds to and offers browsers as a host candidate. Empty: all interfaces
    /// (`0.0.0.0`), offering the address of the interface that routes to the internet.
    pub udp_host: String,
    /// The public IPv4 or IPv6 address browsers outside the LAN reach the UDP port at (port forwarded by the
    /// router), offered as an extra candidate. Empty: none.
    pub public_ip: String,
    /// STUN/TURN servers handed to browsers (with the embedded backend) for networks that block direct UDP.
    pub ice_servers: Vec<IceServer>,
    /// How long a voice token (the one VOICE_SERVER_UPDATE hands out) can be used to connect.
    pub token_ttl: HumanDuration,
    /// A peer that sends nothing (no media, no STUN) for this long is removed from its room.
    pub peer_timeout: HumanDuration,
    /// Most people in one voice room at a time (0: no limit besides the channel's own).
    pub max_room_size: usize,
    /// Voice state changes (gateway opcode 4) one user may make per minute; more are ignored.
    pub state_updates_per_minute: u32,
    /// The LiveKit server's WebSocket URL browsers connect to, e.g. `wss://livekit.example.org`.
    pub livekit_url: String,
    /// The LiveKit API key (the `keys:` name in livekit.yaml).
    pub livekit_api_key: String,
    /// The LiveKit API secret (the `keys:` value in livekit.yaml, at least 32 characters).
    pub livekit_api_secret: String,
}

impl Default for VoiceConfig {
    fn default() -> Self {
        Self {
            backend: VoiceBackend::Embedded,
            udp_port: 50_000,
            udp_host: String::new(),
            public_ip: String::new(),
            ice_servers: Vec::new(),
            token_ttl: HumanDuration::from_secs(60),
            peer_timeout: HumanDuration::from_secs(20),
            max_room_size: 25,
            state_updates_per_minute: 30,
            livekit_url: String::new(),
            livekit_api_key: String::new(),
            livekit_api_secret: String::new(),
        }
    }
}

//! The embedded SFU: one UDP socket for all media of all rooms, owned by the media loop ([`media`]) on its own
//! thread, which drives every str0m [`str0m::Rtc`] and forwards each publisher's packets to the others in its
//! room. The async side (signaling sockets, voice states) talks to it only through [`Sfu`]'s command channel and
//! hears back through [`SfuEvent`]s; media never touches the async runtime.
//!
//! - [`peer`] — one participant: its `Rtc`, published and received tracks; `negotiation` — its SDP.
//! - [`media`] — the loop: socket, timers, routing between peers; `report` — its periodic log line.
//! - [`protocol`] — the signaling messages (JSON on `/voice`).
//! - [`address`] — which address the socket binds and which candidates browsers are offered.

mod address;
mod media;
mod negotiation;
pub mod peer;
pub mod protocol;
mod report;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::mpsc;

use self::peer::PeerId;
use self::protocol::{RemoveReason, ServerMessage, Source};
use super::token::Grants;
use crate::config::VoiceConfig;
use crate::store::Snowflake;

/// Messages queued for one signaling socket before the client counts as too slow.
pub const OUTBOX: usize = 64;

/// Who a new peer is.
#[derive(Debug, Clone)]
pub struct PeerSpec {
    /// The user.
    pub user_id: Snowflake,
    /// The room (voice channel).
    pub channel_id: Snowflake,
    /// What they may publish.
    pub grants: Grants,
    /// Server-muted.
    pub mute: bool,
    /// Server-deafened.
    pub deaf: bool,
}

/// A signaling message for the media loop, already parsed.
#[derive(Debug)]
pub enum Signal {
    /// The client's offer and what its tracks carry.
    Offer(String, HashMap<String, Source>),
    /// The client's answer.
    Answer(String),
    /// A trickled ICE candidate.
    Candidate(String),
}

/// What the async side asks of the media loop.
#[derive(Debug)]
enum Command {
    Join {
        id: PeerId,
        spec: PeerSpec,
        outbox: mpsc::Sender<ServerMessage>,
    },
    Signal(PeerId, Signal),
    /// The signaling socket closed.
    Closed(PeerId),
    /// The user is no longer in the room (left, moved, disconnected).
    Remove(Snowflake, RemoveReason),
    /// Server mute/deafen changed.
    Moderate {
        user_id: Snowflake,
        mute: bool,
        deaf: bool,
    },
    /// Publishing rights changed (SPEAK/STREAM).
    Grants(Snowflake, Grants),
    /// Counters, for tests and the benchmark.
    Stats(tokio::sync::oneshot::Sender<SfuStats>),
}

/// What the media loop reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SfuEvent {
    /// A peer is gone for a reason the async side did not cause (timeout, ICE failure, socket closed, refused).
    PeerGone {
        /// The connection.
        peer: PeerId,
        /// Its user.
        user_id: Snowflake,
        /// Its room.
        channel_id: Snowflake,
    },
}

/// Counters of the media loop.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SfuStats {
    /// Peers connected now.
    pub peers: usize,
    /// Media frames forwarded (one per receiver).
    pub forwarded: u64,
}

/// The handle to the media loop. Cheap to clone.
#[derive(Clone)]
pub struct Sfu {
    commands: mpsc::UnboundedSender<Command>,
    next_peer: Arc<AtomicU64>,
    /// The address the UDP socket is bound to.
    pub local_addr: SocketAddr,
}

impl std::fmt::Debug for Sfu {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sfu").field("local_addr", &self.local_addr).finish()
    }
}

impl Sfu {
    /// Binds the UDP socket and starts the media loop on its own thread. Events arrive on the receiver.
    pub fn start(config: &VoiceConfig) -> std::io::Result<(Self, mpsc::UnboundedReceiver<SfuEvent>)> {
        let plan = address::plan(config)?;
        let socket = std::net::UdpSocket::bind(plan.bind)?;
        socket.set_nonblocking(true)?;
        let local_addr = socket.local_addr()?;
        let candidates = plan.candidates(local_addr.port());
        let (commands, command_rx) = mpsc::unbounded_channel();
        let (events, event_rx) = mpsc::unbounded_channel();
        let settings = media::Settings {
            base: candidates.base,
            extra: candidates.extra,
            peer_timeout: config.peer_timeout.0.max(Duration::from_secs(1)),
        };
        std::thread::Builder::new()
            .name("spot-media".to_owned())
            .spawn(move || media::run(socket, settings, command_rx, events))?;
        tracing::info!(%local_addr, "voice media on UDP");
        Ok((
            Self {
                commands,
                next_peer: Arc::new(AtomicU64::new(1)),
                local_addr,
            },
            event_rx,
        ))
    }

    fn command(&self, command: Command) {
        // Only fails once the media loop has stopped (server shutdown): nothing left to do then.
        let _ = self.commands.send(command);
    }

    /// Adds a peer (replacing any earlier peer of the same user); its messages go to `outbox`.
    pub fn join(&self, spec: PeerSpec, outbox: mpsc::Sender<ServerMessage>) -> PeerId {
        let id = self.next_peer.fetch_add(1, Ordering::Relaxed);
        self.command(Command::Join { id, spec, outbox });
        id
    }

    /// Passes a client's signaling message to its peer.
    pub fn signal(&self, peer: PeerId, signal: Signal) {
        self.command(Command::Signal(peer, signal));
    }

    /// The peer's signaling socket closed.
    pub fn closed(&self, peer: PeerId) {
        self.command(Command::Closed(peer));
    }

    /// Takes a user out of media (they left, were moved or disconnected).
    pub fn remove_user(&self, user_id: Snowflake, reason: RemoveReason) {
        self.command(Command::Remove(user_id, reason));
    }

    /// Applies server mute and deafen to a user's peer.
    pub fn moderate(&self, user_id: Snowflake, mute: bool, deaf: bool) {
        self.command(Command::Moderate { user_id, mute, deaf });
    }

    /// Applies changed publishing rights to a user's peer.
    pub fn set_grants(&self, user_id: Snowflake, grants: Grants) {
        self.command(Command::Grants(user_id, grants));
    }

    /// The media loop's counters.
    pub async fn stats(&self) -> SfuStats {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.command(Command::Stats(reply));
        answer.await.unwrap_or_default()
    }
}

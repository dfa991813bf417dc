//! The media loop: a thread with a single-threaded runtime of its own that owns the UDP socket and every peer.
//! It reads datagrams, hands each to the peer whose `Rtc` accepts it, polls the peers that have something to
//! do, routes what they report (new tracks, media, keyframe requests) to the others in the same room, and
//! removes peers that ended. Nothing here waits on the main runtime; commands come in over a channel.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Input, Rtc};
use tokio::net::UdpSocket;
use tokio::sync::mpsc;

use super::peer::{Ending, Peer, PeerId, Polled, Propagated};
use super::protocol::{RemoveReason, ServerMessage};
use super::report::Report;
use super::{Command, SfuEvent, SfuStats, Signal};

/// Datagrams read per wake-up before peers are polled.
const READ_BATCH: usize = 64;
/// Largest datagram read (WebRTC stays under the usual 1500-byte MTU).
const DATAGRAM: usize = 2048;
/// The loop wakes at least this often to check for silent peers.
const HOUSEKEEPING: Duration = Duration::from_millis(500);

/// How the loop is set up.
pub struct Settings {
    /// The host candidate every datagram is attributed to.
    pub base: SocketAddr,
    /// Server-reflexive candidates (public address) of the same socket.
    pub extra: Vec<SocketAddr>,
    /// Silence after which a peer is removed.
    pub peer_timeout: Duration,
}

/// Runs the media loop until the [`super::Sfu`] handles are all dropped.
pub fn run(
    socket: std::net::UdpSocket,
    settings: Settings,
    commands: mpsc::UnboundedReceiver<Command>,
    events: mpsc::UnboundedSender<SfuEvent>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return tracing::error!(error = %e, "voice media loop could not start"),
    };
    runtime.block_on(async move {
        let socket = match UdpSocket::from_std(socket) {
            Ok(socket) => socket,
            Err(e) => return tracing::error!(error = %e, "voice media socket unusable"),
        };
        MediaLoop {
            socket,
            settings,
            events,
            peers: HashMap::new(),
            by_addr: HashMap::new(),
            dirty: HashSet::new(),
            forwarded: 0,
            report: Report::new(Instant::now()),
        }
        .run(commands)
        .await;
    });
}

struct MediaLoop {
    socket: UdpSocket,
    settings: Settings,
    events: mpsc::UnboundedSender<SfuEvent>,
    peers: HashMap<PeerId, Peer>,
    /// The peer each remote address last belonged to (the fast path of demultiplexing).
    by_addr: HashMap<SocketAddr, PeerId>,
    /// Peers to poll.
    dirty: HashSet<PeerId>,
    forwarded: u64,
    report: Report,
}

impl MediaLoop {
    async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        let mut buf = vec![0u8; DATAGRAM];
        loop {
            self.drive(Instant::now());
            let now = Instant::now();
            let deadline = self
                .peers
                .values()
                .map(|p| p.next_timeout)
                .min()
                .unwrap_or(now + HOUSEKEEPING)
                .min(now + HOUSEKEEPING);
            tokio::select! {
                biased;
                command = commands.recv() => match command {
                    Some(command) => self.on_command(command, Instant::now()),
                    None => break,
                },
                ready = self.socket.readable() => {
                    if ready.is_ok() {
                        self.read(&mut buf);
                    }
                }
                () = tokio::time::sleep_until(deadline.into()) => {}
            }
            self.tick(Instant::now());
        }
        for peer in self.peers.values_mut() {
            peer.send(ServerMessage::Removed {
                reason: RemoveReason::Shutdown,
            });
        }
    }

    /// Reads what is waiting on the socket and gives each datagram to its peer.
    fn read(&mut self, buf: &mut [u8]) {
        for _ in 0..READ_BATCH {
            let (len, source) = match self.socket.try_recv_from(buf) {
                Ok(received) => received,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
                Err(e) => {
                    // ICMP errors (a peer's port closed) surface here on some systems; they concern one peer.
                    tracing::debug!(error = %e, "voice socket read");
                    continue;
                }
            };
            let now = Instant::now();
            let Ok(receive) = Receive::new(Protocol::Udp, source, self.settings.base, &buf[..len]) else {
                continue;
            };
            let input = Input::Receive(now, receive);
            let cached = self
                .by_addr
                .get(&source)
                .copied()
                .filter(|id| self.peers.get(id).is_some_and(|p| p.rtc.accepts(&input)));
            let found = cached.or_else(|| {
                self.peers
                    .iter()
                    .find(|(_, p)| p.doomed.is_none() && p.rtc.accepts(&input))
                    .map(|(id, _)| *id)
            });
            let Some(id) = found else { continue };
            self.by_addr.insert(source, id);
            let Some(peer) = self.peers.get_mut(&id) else { continue };
            peer.last_heard = now;
            if let Err(e) = peer.rtc.handle_input(input) {
                tracing::debug!(user = peer.user_id, error = %e, "voice peer input failed");
                peer.doomed.get_or_insert(Ending::Removed(RemoveReason::TimedOut));
            }
            self.dirty.insert(id);
        }
    }

    /// Gives due peers their timeout and removes silent ones.
    fn tick(&mut self, now: Instant) {
        self.report.maybe_log(now, self.forwarded, self.peers.len());
        for (id, peer) in &mut self.peers {
            if peer.next_timeout <= now {
                if let Err(e) = peer.rtc.handle_input(Input::Timeout(now)) {
                    tracing::debug!(user = peer.user_id, error = %e, "voice peer timeout failed");
                    peer.doomed.get_or_insert(Ending::Removed(RemoveReason::TimedOut));
                }
                self.dirty.insert(*id);
            }
            if now.duration_since(peer.last_heard) > self.settings.peer_timeout {
                peer.doomed.get_or_insert(Ending::Removed(RemoveReason::TimedOut));
                self.dirty.insert(*id);
            }
        }
    }

    fn on_command(&mut self, command: Command, now: Instant) {
        match command {
            Command::Join { id, spec, outbox } => self.join(id, spec, outbox, now),
            Command::Signal(id, signal) => {
                let Some(peer) = self.peers.get_mut(&id) else { return };
                match signal {
                    Signal::Offer(sdp, sources) => peer.on_offer(&sdp, sources),
                    Signal::Answer(sdp) => peer.on_answer(&sdp),
                    Signal::Candidate(line) => peer.on_candidate(&line),
                }
                self.dirty.insert(id);
            }
            Command::Closed(id) => {
                if let Some(peer) = self.peers.get_mut(&id) {
                    peer.doomed.get_or_insert(Ending::Closed);
                    self.dirty.insert(id);
                }
            }
            Command::Remove(user_id, reason) => {
                for (id, peer) in self.peers.iter_mut().filter(|(_, p)| p.user_id == user_id) {
                    peer.doomed.get_or_insert(Ending::Removed(reason));
                    self.dirty.insert(*id);
                }
            }
            Command::Moderate { user_id, mute, deaf } => {
                for peer in self.peers.values_mut().filter(|p| p.user_id == user_id) {
                    peer.mute = mute;
                    peer.deaf = deaf;
                }
            }
            Command::Grants(user_id, grants) => {
                for peer in self.peers.values_mut().filter(|p| p.user_id == user_id) {
                    peer.grants = grants;
                }
            }
            Command::Stats(reply) => {
                let _ = reply.send(SfuStats {
                    peers: self.peers.len(),
                    forwarded: self.forwarded,
                });
            }
        }
    }

    fn join(&mut self, id: PeerId, spec: super::PeerSpec, outbox: mpsc::Sender<ServerMessage>, now: Instant) {
        for (other, peer) in self.peers.iter_mut().filter(|(_, p)| p.user_id == spec.user_id) {
            peer.doomed.get_or_insert(Ending::Removed(RemoveReason::Replaced));
            self.dirty.insert(*other);
        }
        let mut rtc = Rtc::builder().build(now);
        match Candidate::host(self.settings.base, "udp") {
            Ok(candidate) => {
                rtc.add_local_candidate(candidate);
            }
            Err(e) => tracing::error!(error = %e, "voice host candidate refused"),
        }
        for extra in &self.settings.extra {
            if let Ok(candidate) = Candidate::server_reflexive(*extra, self.settings.base, "udp") {
                rtc.add_local_candidate(candidate);
            }
        }
        let mut peer = Peer::new(id, spec, rtc, outbox, now);
        let channel = peer.channel_id;
        let existing: Vec<_> = self
            .peers
            .values()
            .filter(|p| p.channel_id == channel && p.doomed.is_none())
            .flat_map(|p| p.published(None))
            .collect();
        existing.into_iter().for_each(|track| peer.add_track_out(track));
        self.peers.insert(id, peer);
        self.dirty.insert(id);
    }

    /// Polls dirty peers until none has anything left to do, routing what they report; removes ended peers.
    fn drive(&mut self, now: Instant) {
        let mut routed = Vec::new();
        while let Some(id) = self.dirty.iter().next().copied() {
            self.dirty.remove(&id);
            let Some(peer) = self.peers.get_mut(&id) else { continue };
            peer.negotiate_if_needed();
            loop {
                match peer.poll(now) {
                    Polled::Transmit(transmit) => {
                        // A full send buffer drops the datagram, as the network might have.
                        let _ = self.socket.try_send_to(&transmit.contents, transmit.destination);
                    }
                    Polled::Propagate(propagated) => routed.push(propagated),
                    Polled::Nothing => {}
                    Polled::Idle => break,
                }
            }
            for propagated in routed.drain(..) {
                self.route(id, propagated, now);
            }
            if self.dirty.is_empty() {
                self.reap();
            }
        }
    }

    /// Delivers what peer `origin` reported to the others in its room.
    fn route(&mut self, origin: PeerId, propagated: Propagated, now: Instant) {
        let Some(channel) = self.peers.get(&origin).map(|p| p.channel_id) else {
            return;
        };
        match propagated {
            Propagated::TrackOpen(mid) => {
                let tracks = self
                    .peers
                    .get(&origin)
                    .map(|p| p.published(Some(mid)))
                    .unwrap_or_default();
                for (id, peer) in self.peers.iter_mut() {
                    if *id != origin && peer.channel_id == channel && peer.doomed.is_none() {
                        tracks.iter().for_each(|t| peer.add_track_out(*t));
                        self.dirty.insert(*id);
                    }
                }
            }
            Propagated::Media(data) => {
                for (id, peer) in self.peers.iter_mut() {
                    if *id != origin && peer.channel_id == channel && peer.forward(origin, &data) {
                        self.forwarded += 1;
                        self.dirty.insert(*id);
                    }
                }
                self.report
                    .record(Instant::now().saturating_duration_since(data.network_time));
            }
            Propagated::Keyframe(publisher, mid, request) => {
                if let Some(peer) = self.peers.get_mut(&publisher) {
                    peer.request_keyframe(mid, request.rid, request.kind, now);
                    self.dirty.insert(publisher);
                }
            }
        }
    }

    /// Removes peers that ended: tells their client why, stops their tracks at the others, and reports the ones
    /// the async side did not ask for.
    fn reap(&mut self) {
        let ended: Vec<PeerId> = self
            .peers
            .iter()
            .filter(|(_, p)| p.doomed.is_some())
            .map(|(id, _)| *id)
            .collect();
        for id in ended {
            let Some(mut peer) = self.peers.remove(&id) else {
                continue;
            };
            let ending = peer.doomed.unwrap_or(Ending::Closed);
            if let Ending::Removed(reason) = ending {
                peer.send(ServerMessage::Removed { reason });
            }
            peer.rtc.disconnect();
            tracing::info!(
                user = peer.user_id,
                channel = peer.channel_id,
                ?ending,
                "voice peer removed"
            );
            for (other_id, other) in self.peers.iter_mut() {
                if other.channel_id == peer.channel_id {
                    other.stop_tracks_of(id);
                    self.dirty.insert(*other_id);
                }
            }
            self.by_addr.retain(|_, owner| *owner != id);
            let asked = matches!(
                ending,
                Ending::Removed(
                    RemoveReason::Left
                        | RemoveReason::Moved
                        | RemoveReason::Disconnected
                        | RemoveReason::Replaced
                        | RemoveReason::Shutdown
                )
            );
            if !asked {
                let _ = self.events.send(SfuEvent::PeerGone {
                    peer: id,
                    user_id: peer.user_id,
                    channel_id: peer.channel_id,
                });
            }
        }
    }
}

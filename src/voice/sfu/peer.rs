//! One participant of the embedded SFU: its str0m [`Rtc`], the tracks it publishes (`tracks_in`), the tracks
//! of others it receives (`tracks_out`) and the SDP negotiation that adds and stops them. A peer knows nothing
//! of other peers; it reports what happened as [`Propagated`] values and the media loop routes them.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use str0m::change::SdpPendingOffer;
use str0m::media::{Direction, KeyframeRequest, KeyframeRequestKind, MediaData, MediaKind, Mid};
use str0m::{Event, IceConnectionState, Output, Rtc};
use tokio::sync::mpsc;

use super::protocol::{ErrorCode, RemoveReason, ServerMessage, Source};
use crate::store::Snowflake;
use crate::voice::token::Grants;

/// Identifies one voice connection (a user reconnecting gets a new one).
pub type PeerId = u64;

/// Why a peer is being removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Removed for this reason (the client is told with a `removed` message).
    Removed(RemoveReason),
    /// It sent something unacceptable (the client was told with an `error` message).
    Refused(ErrorCode),
    /// Its signaling socket closed.
    Closed,
}

/// A track a peer publishes, as others need to know it.
#[derive(Debug, Clone, Copy)]
pub struct Published {
    /// The publishing peer.
    pub origin: PeerId,
    /// Its user.
    pub origin_user: Snowflake,
    /// The publisher's mid.
    pub mid: Mid,
    /// Audio or video.
    pub kind: MediaKind,
    /// What it carries.
    pub source: Source,
}

/// Tracks one peer may publish (microphone, camera, screen, screen audio); more are received but ignored.
const MAX_PUBLISHED: usize = 4;

/// Keyframe requests sent to one publisher's track at most this often.
const KEYFRAME_INTERVAL: Duration = Duration::from_millis(500);

/// What a peer tells the media loop.
// Media is the common case and lives only between a poll and its routing; boxing it would allocate per packet.
#[allow(clippy::large_enum_variant)]
pub enum Propagated {
    /// A track this peer publishes opened: other peers in the room should receive it.
    TrackOpen(Mid),
    /// Media to forward to the other peers of the room.
    Media(MediaData),
    /// A receiver asked for a keyframe of (publisher, publisher's mid).
    Keyframe(PeerId, Mid, KeyframeRequest),
}

/// A track this peer publishes and is allowed to.
struct TrackIn {
    mid: Mid,
    pub(super) kind: MediaKind,
    last_keyframe_request: Option<Instant>,
}

/// Where a track of another peer stands in this peer's negotiation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OutState {
    ToOpen,
    Negotiating(Mid),
    Open(Mid),
    ToStop(Mid),
    NegotiatingStop(Mid),
}

/// A track of another peer that this peer receives.
pub(super) struct TrackOut {
    pub(super) origin: PeerId,
    pub(super) origin_user: Snowflake,
    pub(super) origin_mid: Mid,
    pub(super) kind: MediaKind,
    pub(super) source: Source,
    pub(super) state: OutState,
}

impl TrackOut {
    fn mid(&self) -> Option<Mid> {
        match self.state {
            OutState::ToOpen => None,
            OutState::Negotiating(m) | OutState::Open(m) | OutState::ToStop(m) | OutState::NegotiatingStop(m) => {
                Some(m)
            }
        }
    }
}

/// One participant.
pub struct Peer {
    /// This connection.
    pub id: PeerId,
    /// The user.
    pub user_id: Snowflake,
    /// The room.
    pub channel_id: Snowflake,
    /// What the user may publish.
    pub grants: Grants,
    /// Server-muted: their audio is not forwarded.
    pub mute: bool,
    /// Server-deafened: they are sent no audio.
    pub deaf: bool,
    /// The WebRTC session.
    pub rtc: Rtc,
    /// Messages to the signaling socket.
    outbox: mpsc::Sender<ServerMessage>,
    /// The first offer has been answered.
    pub(super) negotiated: bool,
    /// A server offer waiting for its answer.
    pub(super) pending: Option<SdpPendingOffer>,
    /// What the client said its sending m-lines carry.
    pub(super) sources: HashMap<String, Source>,
    tracks_in: Vec<TrackIn>,
    pub(super) tracks_out: Vec<TrackOut>,
    /// When a packet of this peer last arrived (or when it joined).
    pub last_heard: Instant,
    /// When str0m next needs a timeout input.
    pub next_timeout: Instant,
    /// Why it is being removed, once it is.
    pub doomed: Option<Ending>,
}

impl Peer {
    /// A peer that has not negotiated yet.
    pub fn new(id: PeerId, spec: super::PeerSpec, rtc: Rtc, outbox: mpsc::Sender<ServerMessage>, now: Instant) -> Self {
        Self {
            id,
            user_id: spec.user_id,
            channel_id: spec.channel_id,
            grants: spec.grants,
            mute: spec.mute,
            deaf: spec.deaf,
            rtc,
            outbox,
            negotiated: false,
            pending: None,
            sources: HashMap::new(),
            tracks_in: Vec::new(),
            tracks_out: Vec::new(),
            last_heard: now,
            next_timeout: now,
            doomed: None,
        }
    }

    /// Queues a message for the signaling socket; a client that lets the queue fill is removed.
    pub fn send(&mut self, message: ServerMessage) {
        let ending = match self.outbox.try_send(message) {
            Ok(()) => return,
            Err(mpsc::error::TrySendError::Full(_)) => Ending::Removed(RemoveReason::TooSlow),
            Err(mpsc::error::TrySendError::Closed(_)) => Ending::Closed,
        };
        self.doomed.get_or_insert(ending);
    }

    /// Refuses what the client sent: an error message, then removal (the socket closes).
    pub fn refuse(&mut self, code: ErrorCode, message: String) {
        tracing::info!(user = self.user_id, ?code, %message, "voice signaling refused");
        if self.doomed.is_none() {
            let _ = self.outbox.try_send(ServerMessage::Error { code, message });
            self.doomed = Some(Ending::Refused(code));
        }
        self.rtc.disconnect();
    }

    /// What a track of this peer carries.
    fn source_of(&self, mid: Mid, kind: MediaKind) -> Source {
        match (self.sources.get(&*mid), kind) {
            (Some(source), _) => *source,
            (None, MediaKind::Audio) => Source::Microphone,
            (None, MediaKind::Video) => Source::Camera,
        }
    }

    /// Starts receiving a track of another peer (negotiated when possible).
    pub fn add_track_out(&mut self, track: Published) {
        self.tracks_out.push(TrackOut {
            origin: track.origin,
            origin_user: track.origin_user,
            origin_mid: track.mid,
            kind: track.kind,
            source: track.source,
            state: OutState::ToOpen,
        });
    }

    /// Stops receiving every track of `origin` (it left).
    pub fn stop_tracks_of(&mut self, origin: PeerId) {
        self.tracks_out.retain_mut(|track| {
            if track.origin != origin {
                return true;
            }
            match track.state {
                OutState::ToOpen => false,
                OutState::Negotiating(m) | OutState::Open(m) => {
                    track.state = OutState::ToStop(m);
                    true
                }
                OutState::ToStop(_) | OutState::NegotiatingStop(_) => true,
            }
        });
    }

    /// The tracks this peer publishes (for a newcomer to the room), or just `mid`.
    pub fn published(&self, only: Option<Mid>) -> Vec<Published> {
        self.tracks_in
            .iter()
            .filter(|t| only.is_none_or(|mid| mid == t.mid))
            .map(|t| Published {
                origin: self.id,
                origin_user: self.user_id,
                mid: t.mid,
                kind: t.kind,
                source: self.source_of(t.mid, t.kind),
            })
            .collect()
    }

    /// Polls str0m once: a packet to send, a timeout, or an event for the media loop.
    pub fn poll(&mut self, now: Instant) -> Polled {
        match self.rtc.poll_output() {
            Ok(Output::Transmit(transmit)) => Polled::Transmit(transmit),
            Ok(Output::Timeout(at)) => {
                self.next_timeout = at;
                Polled::Idle
            }
            Ok(Output::Event(event)) => self.on_event(event, now).map_or(Polled::Nothing, Polled::Propagate),
            Err(e) => {
                tracing::debug!(user = self.user_id, error = %e, "voice peer failed");
                self.doomed.get_or_insert(Ending::Removed(RemoveReason::TimedOut));
                Polled::Idle
            }
        }
    }

    fn on_event(&mut self, event: Event, now: Instant) -> Option<Propagated> {
        match event {
            Event::IceConnectionStateChange(IceConnectionState::Disconnected) => {
                self.doomed.get_or_insert(Ending::Removed(RemoveReason::TimedOut));
                None
            }
            Event::MediaAdded(added) => self.on_media_added(added.mid, added.kind, added.direction),
            Event::MediaData(data) => self.on_media_data(data, now),
            Event::KeyframeRequest(request) => {
                let track = self.tracks_out.iter().find(|t| t.mid() == Some(request.mid))?;
                Some(Propagated::Keyframe(track.origin, track.origin_mid, request))
            }
            _ => None,
        }
    }

    fn on_media_added(&mut self, mid: Mid, kind: MediaKind, direction: Direction) -> Option<Propagated> {
        if !matches!(direction, Direction::RecvOnly | Direction::SendRecv) {
            return None;
        }
        let allowed = match kind {
            MediaKind::Audio => self.grants.audio,
            MediaKind::Video => self.grants.video,
        };
        if !allowed {
            tracing::debug!(
                user = self.user_id,
                ?kind,
                "track without the permission to publish it ignored"
            );
            return None;
        }
        if self.tracks_in.iter().any(|t| t.mid == mid) {
            return None;
        }
        if self.tracks_in.len() >= MAX_PUBLISHED {
            tracing::debug!(user = self.user_id, "track over the per-peer limit ignored");
            return None;
        }
        self.tracks_in.push(TrackIn {
            mid,
            kind,
            last_keyframe_request: None,
        });
        Some(Propagated::TrackOpen(mid))
    }

    fn on_media_data(&mut self, data: MediaData, now: Instant) -> Option<Propagated> {
        let track = self.tracks_in.iter().find(|t| t.mid == data.mid)?;
        // Rights can be taken away mid-call (a permission change): checked on every frame.
        let allowed = match track.kind {
            MediaKind::Audio => self.grants.audio && !self.mute,
            MediaKind::Video => self.grants.video,
        };
        if !allowed {
            return None;
        }
        if !data.contiguous && track.kind == MediaKind::Video {
            // A frame was lost for good: ask the publisher for a keyframe so receivers recover.
            self.request_keyframe(data.mid, data.rid, KeyframeRequestKind::Pli, now);
        }
        Some(Propagated::Media(data))
    }

    /// Asks this peer (a publisher) for a keyframe on its track `mid`, at most every [`KEYFRAME_INTERVAL`].
    pub fn request_keyframe(
        &mut self,
        mid: Mid,
        rid: Option<str0m::media::Rid>,
        kind: KeyframeRequestKind,
        now: Instant,
    ) {
        let Some(track) = self.tracks_in.iter_mut().find(|t| t.mid == mid) else {
            return;
        };
        if track
            .last_keyframe_request
            .is_some_and(|at| now.duration_since(at) < KEYFRAME_INTERVAL)
        {
            return;
        }
        track.last_keyframe_request = Some(now);
        if let Some(mut writer) = self.rtc.writer(mid) {
            let _ = writer.request_keyframe(rid, kind);
        }
    }

    /// Writes media of `origin` to this peer, if it receives that track (and, for audio, is not deafened).
    /// Returns whether it was written.
    pub fn forward(&mut self, origin: PeerId, data: &MediaData) -> bool {
        let Some(track) = self
            .tracks_out
            .iter()
            .find(|t| t.origin == origin && t.origin_mid == data.mid)
        else {
            return false;
        };
        let OutState::Open(mid) = track.state else { return false };
        if track.kind == MediaKind::Audio && self.deaf {
            return false;
        }
        if data.rid.is_some_and(|rid| &*rid != "h") {
            // Simulcast: forward the high layer only (layer switching is not implemented).
            return false;
        }
        let Some(writer) = self.rtc.writer(mid) else {
            return false;
        };
        let Some(pt) = writer.match_params(data.params) else {
            return false;
        };
        let mut writer = writer;
        if let (Some(level), Some(active)) = (data.ext_vals.audio_level, data.ext_vals.voice_activity) {
            writer = writer.audio_level(level, active);
        }
        match writer.write(pt, data.network_time, data.time, data.data.clone()) {
            Ok(()) => true,
            Err(e) => {
                tracing::debug!(user = self.user_id, error = %e, "voice forward failed");
                false
            }
        }
    }
}

/// One step of polling a peer.
#[allow(clippy::large_enum_variant)]
pub enum Polled {
    /// A datagram to send.
    Transmit(str0m::net::Transmit),
    /// An event for the media loop.
    Propagate(Propagated),
    /// An event with nothing to route; poll again.
    Nothing,
    /// Nothing more until `next_timeout` (or new input).
    Idle,
}

//! SDP negotiation of one peer: the client's offers and answers, trickled candidates, and the server offers
//! that add other participants' tracks or stop those of people who left. The server is the polite side: a
//! client offer rolls back a server offer still waiting for its answer, which is made again afterwards.

use std::collections::HashMap;

use str0m::Candidate;
use str0m::change::{SdpAnswer, SdpOffer};
use str0m::media::{Direction, MediaKind};

use super::peer::{OutState, Peer};
use super::protocol::{ErrorCode, ServerMessage, Source, TrackInfo};

impl Peer {
    /// The client's offer: answer it. A server offer still waiting for its answer is rolled back (the server
    /// is the polite side) and made again later.
    pub fn on_offer(&mut self, sdp: &str, sources: HashMap<String, Source>) {
        let offer = match SdpOffer::from_sdp_string(sdp) {
            Ok(offer) => offer,
            Err(e) => return self.refuse(ErrorCode::BadSdp, format!("the offer is not SDP: {e}")),
        };
        let answer = match self.rtc.sdp_api().accept_offer(offer) {
            Ok(answer) => answer,
            Err(e) => return self.refuse(ErrorCode::BadSdp, format!("the offer cannot be accepted: {e}")),
        };
        self.sources.extend(sources);
        if self.pending.take().is_some() {
            for track in &mut self.tracks_out {
                track.state = match track.state {
                    OutState::Negotiating(_) => OutState::ToOpen,
                    OutState::NegotiatingStop(m) => OutState::ToStop(m),
                    other => other,
                };
            }
        }
        self.negotiated = true;
        let tracks = self.track_list(false);
        self.send(ServerMessage::Answer {
            sdp: answer.to_sdp_string(),
            tracks,
        });
    }

    /// The client's answer to the server's offer. Without an offer outstanding (it was rolled back by a client
    /// offer) the answer is stale and ignored.
    pub fn on_answer(&mut self, sdp: &str) {
        let answer = match SdpAnswer::from_sdp_string(sdp) {
            Ok(answer) => answer,
            Err(e) => return self.refuse(ErrorCode::BadSdp, format!("the answer is not SDP: {e}")),
        };
        let Some(pending) = self.pending.take() else {
            return;
        };
        if let Err(e) = self.rtc.sdp_api().accept_answer(pending, answer) {
            return self.refuse(ErrorCode::BadSdp, format!("the answer cannot be accepted: {e}"));
        }
        for track in &mut self.tracks_out {
            if let OutState::Negotiating(m) = track.state {
                track.state = OutState::Open(m);
            }
        }
        self.tracks_out
            .retain(|t| !matches!(t.state, OutState::NegotiatingStop(_)));
    }

    /// A trickled candidate. Browsers hide host addresses behind mDNS names (`….local`) that the server
    /// cannot resolve; those are skipped, and ICE finds the address from the browser's checks instead.
    pub fn on_candidate(&mut self, line: &str) {
        let line = line.trim();
        let line = line.strip_prefix("a=").unwrap_or(line);
        if line.is_empty() {
            return;
        }
        if !self.negotiated {
            return self.refuse(ErrorCode::BadMessage, "a candidate before the first offer".to_owned());
        }
        match Candidate::from_sdp_string(line) {
            Ok(candidate) => self.rtc.add_remote_candidate(candidate),
            Err(_)
                if line
                    .split_whitespace()
                    .nth(4)
                    .is_some_and(|host| host.ends_with(".local")) => {}
            Err(e) => self.refuse(
                ErrorCode::BadCandidate,
                format!("the ICE candidate cannot be read: {e}"),
            ),
        }
    }

    pub(super) fn track_list(&self, include_negotiating: bool) -> Vec<TrackInfo> {
        self.tracks_out
            .iter()
            .filter_map(|t| match t.state {
                OutState::Open(m) => Some((t, m)),
                OutState::Negotiating(m) if include_negotiating => Some((t, m)),
                _ => None,
            })
            .map(|(t, mid)| TrackInfo {
                mid: mid.to_string(),
                user_id: t.origin_user.to_string(),
                kind: if t.kind == MediaKind::Audio { "audio" } else { "video" },
                source: t.source,
            })
            .collect()
    }

    /// Sends a server offer if tracks wait to be added or stopped and no negotiation is under way.
    pub fn negotiate_if_needed(&mut self) {
        if !self.negotiated || self.pending.is_some() || self.doomed.is_some() {
            return;
        }
        if !self
            .tracks_out
            .iter()
            .any(|t| matches!(t.state, OutState::ToOpen | OutState::ToStop(_)))
        {
            return;
        }
        let mut change = self.rtc.sdp_api();
        for track in &mut self.tracks_out {
            match track.state {
                OutState::ToOpen => {
                    let stream = Some(track.origin_user.to_string());
                    let mid = change.add_media(track.kind, Direction::SendOnly, stream, None, None);
                    track.state = OutState::Negotiating(mid);
                }
                OutState::ToStop(mid) => {
                    change.stop_media(mid);
                    track.state = OutState::NegotiatingStop(mid);
                }
                _ => {}
            }
        }
        let Some((offer, pending)) = change.apply() else {
            return;
        };
        self.pending = Some(pending);
        let tracks = self.track_list(true);
        self.send(ServerMessage::Offer {
            sdp: offer.to_sdp_string(),
            tracks,
        });
    }
}
